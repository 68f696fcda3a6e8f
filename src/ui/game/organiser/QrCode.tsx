/**
 * A QR code drawn on a canvas (qrcode, MIT), with its text in `data-text` for tests. `size` is the CSS size in
 * px (the canvas keeps it sharp on high-DPI screens); it never grows wider than its container. "Full screen"
 * shows it as large as the screen allows, for a projector.
 */
import QRCode from 'qrcode';
import { useEffect, useRef, useState } from 'react';

export function QrCode({ text, size, label, testId }: { text: string; size: number; label: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const px = Math.round(size * Math.min(3, Math.max(1, window.devicePixelRatio || 1)));
    QRCode.toCanvas(c, text, { errorCorrectionLevel: 'L', margin: 4, width: px, color: { dark: '#000000', light: '#ffffff' } })
      .then(() => setError(null))
      .catch((e: Error) => setError(`This is too long for a QR code (${text.length} characters): ${e.message}`));
  }, [text, size]);
  if (error)
    return (
      <p className="notice error" role="alert">
        {error}
      </p>
    );
  return (
    <canvas
      ref={ref}
      className="qr"
      role="img"
      aria-label={label}
      data-text={text}
      data-testid={testId}
      style={{ width: size, maxWidth: '100%', height: 'auto' }}
    />
  );
}

/** The code as large as the screen allows (projector); Escape or the button closes it. */
export function QrFullScreen({ text, label, caption, onClose }: { text: string; label: string; caption: string; onClose: () => void }) {
  const [side, setSide] = useState(() => Math.min(window.innerWidth, window.innerHeight) - 120);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const key = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    const resize = () => setSide(Math.min(window.innerWidth, window.innerHeight) - 120);
    window.addEventListener('keydown', key);
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('keydown', key);
      window.removeEventListener('resize', resize);
    };
  }, [onClose]);
  return (
    <div className="qr-full" role="dialog" aria-modal="true" aria-label={label} data-testid="qr-full">
      <QrCode text={text} size={Math.max(200, side)} label={label} />
      <p className="qr-caption">{caption}</p>
      <button ref={close} type="button" onClick={onClose}>
        Close (Esc)
      </button>
    </div>
  );
}
