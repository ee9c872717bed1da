// One JSON request on stdin, one JSON answer on stdout, using @zoom/rivet's own webhook code
// (its AwsLambdaReceiver, which checks x-zm-signature, then answers endpoint.url_validation).
//   {"op": "verify", "secret", "body", "headers"} -> {"ok": true|false, "status", "answer"}
//   {"op": "sign", "secret", "body", "timestamp"} -> {"headers": {...}, "message": "..."}
// Rivet has no public signer: "sign" hands the delivery to the receiver with a blank
// signature and reads back the HMAC-SHA256 digest the receiver computed to compare with it.
// The wrapper around createHmac only records; rivet gets the real HMAC object.
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';

const seen = [];
const realCreateHmac = crypto.createHmac;
crypto.createHmac = (...args) => {
  const mac = realCreateHmac(...args);
  const record = { message: '' };
  const update = mac.update.bind(mac);
  const digest = mac.digest.bind(mac);
  mac.update = (data, encoding) => {
    record.message += Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
    return update(data, encoding);
  };
  mac.digest = (encoding) => {
    record.digest = digest(encoding);
    seen.push(record);
    return record.digest;
  };
  return mac;
};
syncBuiltinESMExports();
const { AwsLambdaReceiver } = await import('@zoom/rivet/meetings');

// The receiver logs every event with console.debug, which would go to stdout.
console.debug = () => {};

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));

async function deliver(secret, body, headers) {
  const receiver = new AwsLambdaReceiver({ webhooksSecretToken: secret });
  receiver.init({ eventEmitter: { emit: async () => {} } });
  const response = await receiver.start()({ body, headers, isBase64Encoded: false }, {});
  return { status: response.statusCode, answer: JSON.parse(response.body) };
}

let answer;
if (request.op === 'verify') {
  const { status, answer: body } = await deliver(request.secret, request.body, request.headers);
  answer = { ok: status === 200, status, answer: body };
} else if (request.op === 'sign') {
  const stamp = String(request.timestamp);
  await deliver(request.secret, request.body, { 'x-zm-request-timestamp': stamp, 'x-zm-signature': '' });
  const [first] = seen;
  answer = {
    headers: { 'x-zm-signature': `v0=${first.digest}`, 'x-zm-request-timestamp': stamp },
    message: first.message,
  };
} else {
  throw new Error(`unknown op ${request.op}`);
}
process.stdout.write(JSON.stringify(answer));
