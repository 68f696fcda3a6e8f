/**
 * Sound for the game: one AudioContext, created and resumed on a user gesture ("tap to enable sound"), clips
 * decoded with decodeAudioData and played with AudioBufferSourceNode — nothing that needs a secure context
 * (phones reach a workshop server over plain HTTP), no AudioWorklet, no media elements.
 */

type Ctor = typeof AudioContext;
const AudioCtor = (): Ctor | undefined =>
  (globalThis as { AudioContext?: Ctor; webkitAudioContext?: Ctor }).AudioContext ?? (globalThis as { webkitAudioContext?: Ctor }).webkitAudioContext;

export interface Playing {
  /** stops playback (onEnded is not called) */
  stop(): void;
}

export class GameAudio {
  private ctx: AudioContext | null = null;
  private current: { src: AudioBufferSourceNode; stopByUs: boolean } | null = null;

  /** Browsers without Web Audio cannot play the game. */
  static supported(): boolean {
    return AudioCtor() !== undefined;
  }

  get ready(): boolean {
    return this.ctx?.state === 'running';
  }

  /** Call from a click / key handler: creates or resumes the context and plays a moment of silence (iOS unlocks on it). */
  async enable(): Promise<void> {
    const C = AudioCtor();
    if (!C) throw new Error('this browser has no Web Audio (AudioContext): the game cannot play sound here');
    this.ctx ??= new C();
    const ctx = this.ctx;
    const silent = ctx.createBufferSource();
    silent.buffer = ctx.createBuffer(1, 1, ctx.sampleRate);
    silent.connect(ctx.destination);
    silent.start();
    if (ctx.state !== 'running') await ctx.resume();
    if (ctx.state !== 'running') throw new Error(`sound is still blocked by the browser (state "${ctx.state}"): tap the button again`);
  }

  /**
   * Decode an encoded clip with the browser's decoder; when it cannot (e.g. Ogg Opus on an older Safari), with
   * the lab's own decoders (src/audio: WAV, Ogg Opus, MP3; loaded only then), up to `endSeconds`.
   */
  async decode(bytes: ArrayBuffer, name: string, endSeconds: number): Promise<AudioBuffer> {
    const C = AudioCtor();
    if (!C) throw new Error('this browser has no Web Audio (AudioContext)');
    this.ctx ??= new C();
    const ctx = this.ctx;
    try {
      // decodeAudioData detaches its argument: decode a copy, the fallback needs the bytes
      return await ctx.decodeAudioData(bytes.slice(0));
    } catch (browserError) {
      const { decodeAudio } = await import('../../../audio/decode');
      let d: Awaited<ReturnType<typeof decodeAudio>>;
      try {
        d = await decodeAudio(new Uint8Array(bytes), name, { endSeconds });
      } catch (e) {
        const why = (x: unknown) => (x instanceof Error ? x.message : String(x));
        throw new Error(`neither the browser (${why(browserError)}) nor the game's decoder (${why(e)}) could decode it`);
      }
      const length = d.channels[0].length;
      const buffer = ctx.createBuffer(d.channels.length, Math.max(1, length), d.sampleRate);
      d.channels.forEach((ch, i) => {
        buffer.copyToChannel(ch as Float32Array<ArrayBuffer>, i);
      });
      return buffer;
    }
  }

  /**
   * Play `buffer` from `offset` for at most `seconds` (an offset past the end plays from the start). Stops what was
   * playing. `onEnded` runs when the excerpt ends by itself.
   */
  play(buffer: AudioBuffer, offset: number, seconds: number, onEnded: () => void): Playing {
    const ctx = this.ctx;
    if (!ctx) throw new Error('sound is not enabled yet');
    // a phone may suspend / interrupt the context (a call, the screen locked): play runs in a click, so resume works
    if (ctx.state !== 'running') void ctx.resume();
    this.stop();
    const from = offset < buffer.duration ? offset : 0;
    const length = Math.max(0.05, Math.min(seconds, buffer.duration - from));
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    const gain = ctx.createGain();
    // 10 ms fades: no click at the excerpt's cut
    const t0 = ctx.currentTime;
    gain.gain.setValueAtTime(0, t0);
    gain.gain.linearRampToValueAtTime(1, t0 + 0.01);
    gain.gain.setValueAtTime(1, t0 + Math.max(0.01, length - 0.01));
    gain.gain.linearRampToValueAtTime(0, t0 + length);
    src.connect(gain).connect(ctx.destination);
    const entry = { src, stopByUs: false };
    this.current = entry;
    src.onended = () => {
      if (this.current === entry) this.current = null;
      if (!entry.stopByUs) onEnded();
    };
    src.start(t0, from, length);
    return {
      stop: () => {
        if (this.current !== entry) return;
        entry.stopByUs = true;
        this.current = null;
        try {
          src.stop();
        } catch {
          // already ended
        }
      },
    };
  }

  stop(): void {
    const c = this.current;
    if (!c) return;
    c.stopByUs = true;
    this.current = null;
    try {
      c.src.stop();
    } catch {
      // already ended
    }
  }
}

/** The page's one sound engine. */
export const gameAudio = new GameAudio();
