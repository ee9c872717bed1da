// One JSON request on stdin, one JSON answer on stdout, using @sanity/webhook's own signature code.
//   {"op": "verify", "secret", "body", "signature"}  -> {"ok": true|false}
//   {"op": "sign", "secret", "body", "timestamp_ms"} -> {"signature": "t=...,v1=..."}
import { encodeSignatureHeader, isValidSignature } from '@sanity/webhook';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

let answer;
if (request.op === 'verify') {
  answer = { ok: await isValidSignature(request.body, request.signature, request.secret) };
} else if (request.op === 'sign') {
  const signature = await encodeSignatureHeader(request.body, request.timestamp_ms, request.secret);
  answer = { signature };
} else {
  throw new Error(`unknown op ${request.op}`);
}
process.stdout.write(JSON.stringify(answer));
