// Seeding thousands of notes quickly. Through the API a debug server writes a few hundred
// notes a second, slower as the video fills (each note recounts its video), far too slow
// for 10,000; so one note is made through the API as a template, and copies of its row are
// written straight into the server's SQLite database (WAL: safe beside the running server)
// with the `sqlite3` command-line shell. Copies differ only in id, text and time, so every
// other column keeps the server's own format.

import { execFileSync } from 'node:child_process';
import path from 'node:path';

import type { Device } from './api';
import type { LossyServer } from './server';

/**
 * Notes `${prefix} 0` … `${prefix} ${count - 1}` on `videoId`, note i at `i * stepSeconds`,
 * typed (`FIRMED`). Answers the template note's id (note 0).
 */
export async function bulkNotes(
  server: LossyServer,
  device: Device,
  videoId: string,
  count: number,
  { prefix = 'Note', stepSeconds = 1 }: { prefix?: string; stepSeconds?: number } = {},
): Promise<string> {
  const template = await device.createNote(videoId, 0, `${prefix} 0`, 'GENERAL');
  if (count <= 1) return template.id;
  const hex = template.id.replaceAll('-', '').toUpperCase();
  if (!/^[0-9A-F]{32}$/.test(hex) || !/^[\w ]*$/.test(prefix) || !Number.isFinite(stepSeconds)) {
    throw new Error('bulkNotes: unexpected id, prefix or step');
  }
  const columns = [
    'id', 'user_id', 'video_id', 'voice_session_id', 'utterance_id', 'text', 'raw_transcript',
    'category', 'confidence', 'timestamp_seconds', 'end_seconds', 'status', 'quality_decision',
    'structurer', 'source', 'version', 'created_at', 'updated_at', 'deleted_at', 'delete_reason',
  ];
  const values = columns.map((column) => {
    switch (column) {
      case 'id':
        return 'randomblob(16)';
      case 'utterance_id':
        return 'NULL';
      case 'text':
      case 'raw_transcript':
        return `'${prefix} ' || i`;
      case 'timestamp_seconds':
        return `i * ${stepSeconds}`;
      default:
        return column;
    }
  });
  const sql = `
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count - 1})
    INSERT INTO notes (${columns.join(', ')})
    SELECT ${values.join(', ')} FROM notes, n WHERE notes.id = X'${hex}';`;
  execFileSync('sqlite3', ['-bail', '-cmd', '.timeout 10000', path.join(server.dataDir, 'lossy.db'), sql]);
  return template.id;
}
