import { describe, expect, it } from 'vitest';
import { clipUrl } from './live-clips';
import { backoffMs, socketUrl } from './socket';

describe('live workshop client', () => {
  it('opens ws: on plain HTTP (a LAN address) and wss: on HTTPS, on the page host', () => {
    expect(socketUrl({ protocol: 'http:', host: '192.168.1.20:8080' })).toBe('ws://192.168.1.20:8080/ws');
    expect(socketUrl({ protocol: 'https:', host: 'lab.example' })).toBe('wss://lab.example/ws');
  });
  it('backs off 0.5 s, 1 s, 2 s … up to 8 s (±20 %)', () => {
    expect([0, 1, 2, 3, 4, 9].map((n) => backoffMs(n, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(backoffMs(0, () => 0)).toBe(400);
    expect(backoffMs(20, () => 1)).toBe(9600);
  });
  it('resolves clip paths against the server root, not the page folder', () => {
    expect(clipUrl('data/tones/a%20b.wav', 'http://10.0.0.2:8080')).toBe('http://10.0.0.2:8080/data/tones/a%20b.wav');
    expect(clipUrl('/clips/x.wav', 'http://10.0.0.2:8080')).toBe('http://10.0.0.2:8080/clips/x.wav');
  });
});
