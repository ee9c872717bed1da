// One JSON request on stdin, one JSON answer on stdout, using @mux/mux-node's own webhook code.
//   {"op": "verify", "secret", "body", "headers", "now"} -> {"ok": true|false, "error"?}
//   {"op": "sign", "secret", "body", "timestamp"}        -> {"headers": {"Mux-Signature": ...}}
// The SDK has no public signer: "sign" calls the same computeSignature that verifySignature uses.
import Mux from '@mux/mux-node';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const mux = new Mux({ tokenId: 'unused', tokenSecret: 'unused' });
let answer;
if (request.op === 'verify') {
  // verifySignature reads the clock through Date.now(); pin it to the request's time.
  Date.now = () => request.now * 1000;
  try {
    await mux.webhooks.verifySignature(request.body, request.headers, request.secret);
    answer = { ok: true };
  } catch (error) {
    answer = { ok: false, error: String(error && error.message) };
  }
} else if (request.op === 'sign') {
  const digest = await mux.webhooks.computeSignature(`${request.timestamp}.${request.body}`, request.secret);
  answer = { headers: { 'Mux-Signature': `t=${request.timestamp},v1=${digest}` } };
} else {
  throw new Error(`unknown op ${request.op}`);
}
process.stdout.write(JSON.stringify(answer));
