// An independent XMPP client for the integration tests (@xmpp/client): logs in with
// SCRAM-SHA-1 over STARTTLS, optionally sends one message, optionally waits for one, and
// reports each step as a JSON line on stdout.
//
//   node chat.mjs --service xmpp://127.0.0.1:5222 --domain localhost --username alice \
//     --password secret [--resource js] [--send-to bob@localhost --body hi] \
//     [--expect-from bob@localhost] [--timeout 10]
//
// Or a JSON object with the same keys (camelCase: sendTo, expectFrom) on stdin, with
// `--stdin`, which keeps the password off the command line.
//
// Trusting the test server's self-signed cert: NODE_EXTRA_CA_CERTS=cert.pem (verifies it),
// or NODE_TLS_REJECT_UNAUTHORIZED=0. @xmpp/starttls takes no TLS options of its own.
//
// Exit codes: 0 done, 1 XMPP or network error, 2 timeout, 64 bad usage.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

import { client, xml } from "@xmpp/client";

const MECHANISM = "SCRAM-SHA-1";

function emit(event, fields = {}) {
  process.stdout.write(JSON.stringify({ event, ...fields }) + "\n");
}

function fail(code, error, fields = {}) {
  emit("error", { error: String(error?.message ?? error), ...fields });
  process.stderr.write(`chat.mjs: ${error?.stack ?? error}\n`);
  process.exit(code);
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      service: { type: "string" },
      domain: { type: "string" },
      username: { type: "string" },
      password: { type: "string" },
      resource: { type: "string" },
      "send-to": { type: "string" },
      body: { type: "string" },
      "expect-from": { type: "string" },
      timeout: { type: "string" },
      stdin: { type: "boolean" },
    },
  });
  const fromStdin = values.stdin ? JSON.parse(readFileSync(0, "utf8")) : {};
  const options = {
    service: values.service ?? fromStdin.service,
    domain: values.domain ?? fromStdin.domain,
    username: values.username ?? fromStdin.username,
    password: values.password ?? fromStdin.password,
    resource: values.resource ?? fromStdin.resource,
    sendTo: values["send-to"] ?? fromStdin.sendTo,
    body: values.body ?? fromStdin.body ?? "hello from @xmpp/client",
    expectFrom: values["expect-from"] ?? fromStdin.expectFrom,
    timeout: Number(values.timeout ?? fromStdin.timeout ?? 10),
  };
  for (const key of ["service", "domain", "username", "password"]) {
    if (!options[key]) fail(64, new Error(`missing --${key}`));
  }
  return options;
}

const bare = (jid) => String(jid).split("/")[0].toLowerCase();

async function main() {
  const options = readOptions();
  const timer = setTimeout(
    () => fail(2, new Error(`timed out after ${options.timeout}s`)),
    options.timeout * 1000,
  );

  const xmpp = client({
    service: options.service,
    domain: options.domain,
    resource: options.resource,
    // Each step's own limit (2 s by default) is too short on a loaded test machine; the
    // script's timer above bounds the whole run.
    timeout: options.timeout * 1000,
    // A function instead of {username, password} is the documented way to choose the
    // mechanism: @xmpp/client would otherwise take the first one the server lists.
    credentials: async (authenticate, mechanisms) => {
      if (!mechanisms.includes(MECHANISM)) {
        throw new Error(`server offers ${mechanisms.join(", ")}, not ${MECHANISM}`);
      }
      await authenticate({ username: options.username, password: options.password },
        MECHANISM);
    },
  });
  // One attempt only: a test wants the first failure, not a reconnect loop.
  xmpp.reconnect.stop();
  xmpp.on("error", (error) => fail(1, error, { condition: error.condition }));

  let expected;
  const received = new Promise((resolve) => {
    expected = resolve;
  });
  xmpp.on("stanza", (stanza) => {
    if (!stanza.is("message")) return;
    const body = stanza.getChildText("body");
    if (body === null || body === undefined) return;
    if (options.expectFrom && bare(stanza.attrs.from) !== bare(options.expectFrom)) return;
    emit("message", { from: stanza.attrs.from, type: stanza.attrs.type ?? "normal", body });
    expected();
  });

  const address = await xmpp.start().catch((error) =>
    fail(1, error, { condition: error.condition }));
  // Available presence, so messages to our bare JID reach this resource (RFC 6121 §8.5.2).
  await xmpp.send(xml("presence"));
  emit("online", { jid: address.toString(), mechanism: MECHANISM,
    secure: xmpp.isSecure() });

  if (options.sendTo) {
    const id = `js-${Date.now()}`;
    await xmpp.send(xml("message", { to: options.sendTo, type: "chat", id },
      xml("body", {}, options.body)));
    emit("sent", { to: options.sendTo, id, body: options.body });
  }
  if (options.expectFrom) await received;

  clearTimeout(timer);
  await xmpp.stop();
  emit("offline");
}

main().catch((error) => fail(1, error));
