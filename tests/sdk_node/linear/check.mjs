// One JSON request on stdin, one JSON answer on stdout, using @linear/sdk's own webhook code.
//   {"op": "verify", "secret", "body", "headers", "now"} -> {"ok": true|false, "status", "error"?}
//   {"op": "sign", "secret", "body", "now"}             -> {"headers": {"Linear-Signature": ...}}
// "verify" sends a Fetch Request through LinearWebhookClient.createHandler(), so the header
// name is the SDK's too, then repeats the check with LinearWebhookClient.verify() for its reason.
// The SDK has no signer: "sign" makes the signature the way the SDK's own tests do
// (packages/sdk/src/_tests/LinearWebhooks.test.ts) and returns it only if the SDK accepts it.
import crypto from 'node:crypto';
import { LinearWebhookClient } from '@linear/sdk/webhooks';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

// The SDK reads the clock through Date.now(); pin it to the request's time (seconds).
Date.now = () => request.now * 1000;
const client = new LinearWebhookClient(request.secret);
const body = Buffer.from(request.body, 'utf8');

async function verify(headers) {
  const handler = client.createHandler();
  const response = await handler(
    new Request('https://example.test/hooks/linear', { method: 'POST', headers, body }),
  );
  const signature = new Headers(headers).get('linear-signature') ?? '';
  let error;
  try {
    client.verify(body, signature);
  } catch (caught) {
    error = String(caught && caught.message);
  }
  return { ok: response.status === 200 && error === undefined, status: response.status, error };
}

let answer;
if (request.op === 'verify') {
  answer = await verify(request.headers);
} else if (request.op === 'sign') {
  const signature = crypto.createHmac('sha256', request.secret).update(body).digest('hex');
  const headers = { 'Linear-Signature': signature };
  const check = await verify(headers);
  if (!check.ok) throw new Error(`the SDK refuses its own recipe: ${check.error}`);
  answer = { headers };
} else {
  throw new Error(`unknown op ${request.op}`);
}
process.stdout.write(JSON.stringify(answer));
