// One JSON request on stdin, one JSON answer on stdout, using @notionhq/client's webhook helpers.
//   {"op": "verify", "secret", "body", "signature"} -> {"ok": true|false}
//   {"op": "sign", "secret", "body"}                -> {"signature": "sha256=..."}
import { signWebhookPayload, verifyWebhookSignature } from '@notionhq/client';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

let answer;
if (request.op === 'verify') {
  const ok = await verifyWebhookSignature({
    body: request.body,
    signature: request.signature,
    verificationToken: request.secret,
  });
  answer = { ok };
} else if (request.op === 'sign') {
  const signature = await signWebhookPayload({ body: request.body, verificationToken: request.secret });
  answer = { signature };
} else {
  throw new Error(`unknown op ${request.op}`);
}
process.stdout.write(JSON.stringify(answer));
