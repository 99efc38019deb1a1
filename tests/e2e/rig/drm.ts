// A Clear Key encrypted video for the DRM specs, made at test time: ffmpeg makes a fragmented
// H.264 MP4 (the clip's test pattern), and this file encrypts it with Common Encryption
// ('cenc', AES-128 CTR, ISO/IEC 23001-7) for Media Source Extensions. Debian's ffmpeg (5.1)
// can encrypt an MP4 itself, but writes no per-fragment sample encryption boxes (`senc`),
// and Chromium decrypts only through MSE, which needs fragments; so the encryption is done
// here, as ffmpeg does it: each NAL unit's length and header clear, the rest encrypted.

import { execFileSync } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The Clear Key pair, fixed so the spec's pages can embed it. */
export const CLEAR_KEY = {
  /** 16 bytes, hex. */
  keyId: 'a7e61c373e219033c21091fa607bf3b8',
  key: '76a6c65c5ea762046bd749a2e632ccbb',
};

/** The MIME type the pages give `addSourceBuffer` (H.264 Main, level 3.0). */
export const CENC_TYPE = 'video/mp4; codecs="avc1.4d401e"';

/** base64url without padding: how Clear Key's JSON names keys and key ids. */
export function base64url(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** Makes `<dir>/clip-cenc.mp4` (30 s, 320 × 240, 10 frames a second) once; returns its path. */
export function makeEncryptedClip(dir: string): string {
  const file = path.join(dir, 'clip-cenc.mp4');
  if (existsSync(file)) return file;
  // Names of this process's own, renamed into place at the end: runs that overlap never read
  // a half-written file.
  const plain = path.join(dir, `clip-fragmented.${process.pid}.mp4`);
  const partial = `${file}.${process.pid}.part`;
  execFileSync(
    'ffmpeg',
    [
      '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc=duration=30:size=320x240:rate=10',
      '-c:v', 'libx264', '-profile:v', 'main', '-level', '3.0', '-pix_fmt', 'yuv420p',
      '-g', '10', '-b:v', '150k',
      '-movflags', 'frag_keyframe+empty_moov+default_base_moof',
      plain,
    ],
    { stdio: 'inherit' },
  );
  writeFileSync(partial, encryptCenc(readFileSync(plain), Buffer.from(CLEAR_KEY.keyId, 'hex'), Buffer.from(CLEAR_KEY.key, 'hex')));
  rmSync(plain, { force: true });
  renameSync(partial, file);
  return file;
}

interface Box {
  type: string;
  /** Bytes after the header and before the children (a sample entry's fields, stsd's count). */
  prefix: Buffer;
  children: Box[] | null;
  /** A leaf's payload. */
  body: Buffer;
}

/** Boxes made of boxes, with the bytes that come before their children. */
const CONTAINERS: Record<string, number> = {
  moov: 0, trak: 0, mdia: 0, minf: 0, stbl: 0, mvex: 0, moof: 0, traf: 0, dinf: 0, edts: 0,
  stsd: 8,
  avc1: 78,
};

function parse(data: Buffer, start = 0, end = data.length): Box[] {
  const boxes: Box[] = [];
  for (let at = start; at < end; ) {
    let size = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(data.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = end - at;
    }
    const inner = at + header;
    const prefixLength = CONTAINERS[type];
    if (prefixLength === undefined) {
      boxes.push({ type, prefix: Buffer.alloc(0), children: null, body: data.subarray(inner, at + size) });
    } else {
      boxes.push({
        type,
        prefix: data.subarray(inner, inner + prefixLength),
        children: parse(data, inner + prefixLength, at + size),
        body: Buffer.alloc(0),
      });
    }
    at += size;
  }
  return boxes;
}

function serialize(box: Box): Buffer {
  const payload = box.children
    ? Buffer.concat([box.prefix, ...box.children.map(serialize)])
    : box.body;
  const header = Buffer.alloc(8);
  header.writeUInt32BE(payload.length + 8);
  header.write(box.type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

function leaf(type: string, body: Buffer): Box {
  return { type, prefix: Buffer.alloc(0), children: null, body };
}

function fullBox(version: number, flags: number, rest: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff));
  return Buffer.concat([head, rest]);
}

function find(boxes: Box[], type: string): Box | undefined {
  for (const box of boxes) {
    if (box.type === type) return box;
    const inner = box.children ? find(box.children, type) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

/** The init segment's sample entry becomes `encv`, with what Common Encryption says of it. */
function protectInit(moov: Box, keyId: Buffer): void {
  const entry = find([moov], 'avc1');
  if (!entry?.children) throw new Error('no avc1 sample entry');
  entry.type = 'encv';
  const tenc = Buffer.concat([Buffer.from([0, 0, 1, 8]), keyId]); // protected, 8-byte IVs
  entry.children.push({
    type: 'sinf',
    prefix: Buffer.alloc(0),
    body: Buffer.alloc(0),
    children: [
      leaf('frma', Buffer.from('avc1', 'latin1')),
      leaf('schm', fullBox(0, 0, Buffer.concat([Buffer.from('cenc', 'latin1'), Buffer.from([0, 1, 0, 0])]))),
      { type: 'schi', prefix: Buffer.alloc(0), body: Buffer.alloc(0), children: [leaf('tenc', fullBox(0, 0, tenc))] },
    ],
  });
}

interface Trun {
  sizes: number[];
  /** Where the data offset sits in the trun's body. */
  dataOffsetAt: number;
}

function readTrun(trun: Box, defaultSize: number): Trun {
  const body = trun.body;
  const flags = body.readUInt32BE(0) & 0xffffff;
  const count = body.readUInt32BE(4);
  let at = 8;
  const dataOffsetAt = flags & 0x1 ? at : -1;
  if (flags & 0x1) at += 4;
  if (flags & 0x4) at += 4;
  const sizes: number[] = [];
  for (let i = 0; i < count; i += 1) {
    if (flags & 0x100) at += 4;
    if (flags & 0x200) {
      sizes.push(body.readUInt32BE(at));
      at += 4;
    } else {
      sizes.push(defaultSize);
    }
    if (flags & 0x400) at += 4;
    if (flags & 0x800) at += 4;
  }
  if (dataOffsetAt < 0) throw new Error('a trun without a data offset');
  return { sizes, dataOffsetAt };
}

/** A track fragment header's default sample size, if it has one. */
function defaultSampleSize(tfhd: Box): number {
  const flags = tfhd.body.readUInt32BE(0) & 0xffffff;
  let at = 8; // flags, track id
  if (flags & 0x1) at += 8;
  if (flags & 0x2) at += 4;
  if (flags & 0x8) at += 4;
  return flags & 0x10 ? tfhd.body.readUInt32BE(at) : 0;
}

/** Encrypts one sample in place (AES-CTR over its NAL units' bodies); its subsample map. */
function encryptSample(sample: Buffer, key: Buffer, iv: Buffer): [number, number][] {
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.concat([iv, Buffer.alloc(8)]));
  const subsamples: [number, number][] = [];
  for (let at = 0; at < sample.length; ) {
    const nalSize = sample.readUInt32BE(at);
    const clear = 4 + 1;
    const protectedSize = nalSize - 1;
    const from = at + clear;
    // One keystream for the whole sample, continued across its subsamples.
    cipher.update(sample.subarray(from, from + protectedSize)).copy(sample, from);
    subsamples.push([clear, protectedSize]);
    at += 4 + nalSize;
  }
  return subsamples;
}

/** Encrypts a fragmented MP4 with one H.264 track (4-byte NAL lengths) for Clear Key. */
export function encryptCenc(input: Buffer, keyId: Buffer, key: Buffer): Buffer {
  const boxes = parse(input);
  const out: Buffer[] = [];
  for (let i = 0; i < boxes.length; i += 1) {
    const box = boxes[i] as Box;
    if (box.type === 'moov') {
      protectInit(box, keyId);
      out.push(serialize(box));
      continue;
    }
    // The random-access index points at the fragments' old offsets; MSE does not read it.
    if (box.type === 'mfra') continue;
    if (box.type !== 'moof') {
      out.push(serialize(box));
      continue;
    }
    const mdat = boxes[i + 1];
    const traf = find([box], 'traf');
    const trun = find([box], 'trun');
    const tfhd = find([box], 'tfhd');
    if (!mdat || mdat.type !== 'mdat' || !traf?.children || !trun || !tfhd) {
      throw new Error('a fragment without mdat, traf, trun or tfhd');
    }
    const { sizes, dataOffsetAt } = readTrun(trun, defaultSampleSize(tfhd));
    const data = Buffer.from(mdat.body);
    const senc: Buffer[] = [];
    const auxSizes: number[] = [];
    let at = 0;
    for (const size of sizes) {
      const iv = randomBytes(8);
      const subsamples = encryptSample(data.subarray(at, at + size), key, iv);
      at += size;
      const entry = Buffer.alloc(8 + 2 + 6 * subsamples.length);
      iv.copy(entry, 0);
      entry.writeUInt16BE(subsamples.length, 8);
      subsamples.forEach(([clear, secret], n) => {
        entry.writeUInt16BE(clear, 10 + 6 * n);
        entry.writeUInt32BE(secret, 12 + 6 * n);
      });
      senc.push(entry);
      auxSizes.push(entry.length);
    }
    const count = Buffer.alloc(4);
    count.writeUInt32BE(sizes.length);
    const sencBox = leaf('senc', fullBox(0, 0x2, Buffer.concat([count, ...senc])));
    const saiz = leaf('saiz', fullBox(0, 0, Buffer.concat([Buffer.from([0]), count, Buffer.from(auxSizes)])));
    const saio = leaf('saio', fullBox(0, 0, Buffer.from([0, 0, 0, 1, 0, 0, 0, 0])));
    traf.children.push(sencBox, saiz, saio);
    // The boxes' sizes are final now: place the offsets, from the moof's first byte. saio
    // points at the first sample's entry in senc (after its header, version and flags, and
    // sample count); trun at the first sample in the mdat that follows.
    const before = (list: Box[], stop: Box) =>
      list.slice(0, list.indexOf(stop)).reduce((sum, b) => sum + serialize(b).length, 0);
    const moofChildren = box.children ?? [];
    const sencAt = 8 + before(moofChildren, traf) + 8 + before(traf.children, sencBox);
    saio.body.writeUInt32BE(sencAt + 8 + 4 + 4, 8);
    const moof = serialize(box);
    trun.body.writeInt32BE(moof.length + 8, dataOffsetAt);
    out.push(serialize(box), serialize({ ...mdat, body: data }));
    i += 1;
  }
  return Buffer.concat(out);
}
