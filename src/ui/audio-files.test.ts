import { describe, expect, it } from 'vitest';
import { fileKind, routeFiles } from './audio-files';

describe('routing dropped files', () => {
  it('tells audio from data files by extension, then by MIME type', () => {
    expect(fileKind('a.WAV')).toBe('audio');
    expect(fileKind('dir/b.flac')).toBe('audio');
    expect(fileKind('c.m4a')).toBe('audio');
    expect(fileKind('d.opus')).toBe('audio');
    expect(fileKind('votes.csv')).toBe('data');
    expect(fileKind('features.json')).toBe('data');
    expect(fileKind('noext', 'audio/mpeg')).toBe('audio');
    expect(fileKind('noext', 'text/plain')).toBe('data');
    // extension wins over a wrong MIME type
    expect(fileKind('x.csv', 'audio/wav')).toBe('data');
    expect(fileKind('cover.jpg', 'image/jpeg')).toBe('other');
    expect(fileKind('folder/.DS_Store')).toBe('other');
    expect(fileKind('._hidden.wav')).toBe('other');
  });

  it('splits a folder into audio (in path order), data and the rest', () => {
    const r = routeFiles(['s/z.wav', 'votes.csv', 's/a.mp3', 'cover.png', 'users.tsv', 'b/c.ogg'], (x) => x);
    expect(r.audio).toEqual(['b/c.ogg', 's/a.mp3', 's/z.wav']);
    expect(r.data).toEqual(['votes.csv', 'users.tsv']);
    expect(r.other).toEqual(['cover.png']);
  });
});
