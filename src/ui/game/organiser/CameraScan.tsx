/**
 * Reading votes codes with the camera: getUserMedia + jsQR on video frames (a few per second). The camera
 * needs a secure context (https, or localhost): elsewhere the page says so and offers the other ways (a photo
 * of the code, the file, pasting the code text). Each code is handed over once per scan.
 */
import { useEffect, useRef, useState } from 'react';
import { pixelsOf, type QrReader, qrReader } from './qr-read';

export function cameraUnavailable(): string | null {
  if (!window.isSecureContext)
    return 'The camera only works on a secure page (https, or this computer as localhost). Take a photo of each code and add the image, or paste the code text.';
  if (!navigator.mediaDevices?.getUserMedia) return 'This browser offers no camera access. Add a photo of each code, or paste the code text.';
  return null;
}

export function CameraScan({ onCode }: { onCode: (text: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [on, setOn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reads, setReads] = useState(0);
  const unavailable = cameraUnavailable();
  useEffect(() => {
    if (!on) return;
    let stream: MediaStream | null = null;
    let timer = 0;
    let live = true;
    let readQr: QrReader | null = null;
    const seen = new Set<string>();
    const tick = () => {
      const v = video.current;
      if (!live || !v) return;
      if (readQr && v.readyState >= 2 && v.videoWidth > 0) {
        const px = pixelsOf(v, v.videoWidth, v.videoHeight, 800);
        const text = readQr(px.data, px.width, px.height);
        if (text && !seen.has(text)) {
          seen.add(text);
          setReads((n) => n + 1);
          onCode(text);
        }
      }
      timer = window.setTimeout(tick, 250);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (s) => {
        stream = s;
        readQr = await qrReader();
        if (!live || !video.current) return;
        video.current.srcObject = s;
        await video.current.play();
        tick();
      })
      .catch((e: Error) => {
        setError(`The camera could not be started: ${e.name === 'NotAllowedError' ? 'permission was refused' : e.message}.`);
        setOn(false);
      });
    return () => {
      live = false;
      clearTimeout(timer);
      for (const t of stream?.getTracks() ?? []) t.stop();
    };
  }, [on, onCode]);
  if (unavailable)
    return (
      <p className="hint" data-testid="camera-unavailable">
        {unavailable}
      </p>
    );
  return (
    <div className="camera" data-testid="camera">
      <button type="button" onClick={() => setOn((x) => !x)} data-testid="camera-toggle">
        {on ? 'Stop the camera' : 'Scan codes with the camera'}
      </button>
      {on && (
        <>
          <video ref={video} muted playsInline className="camera-video" aria-label="Camera view: hold a votes code in front of it" />
          <p className="hint" role="status">
            Hold each phone's code in front of the camera. {reads ? `${reads} code${reads === 1 ? '' : 's'} read.` : ''}
          </p>
        </>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
