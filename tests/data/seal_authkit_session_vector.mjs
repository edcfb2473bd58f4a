// Seals a session the way @workos/authkit-session (through @workos-inc/node) does: iron-webcrypto's
// seal(data, password, defaults), plus iron-session's "~2" suffix. Regenerates
// tests/data/authkit_session_vector.json from the payload on stdin:
//   python -c '...payload...' | node tests/data/seal_authkit_session_vector.mjs
// (copy it next to a node_modules with `npm install iron-webcrypto@2.0.0`, run it there).
import * as Iron from "iron-webcrypto";
import { readFileSync } from "node:fs";

const password = "an-integration-cookie-password-32-chars-at-least";
const data = JSON.parse(readFileSync(0, "utf8"));
const sealed = (await Iron.seal(data, password, Iron.defaults)) + "~2";
console.log(
  JSON.stringify(
    {
      generated_by: `iron-webcrypto 2.0.0 on node ${process.version}`,
      fake: { rng_seed: "authkit-session-vector", frozen_at: 1800000000 },
      cookie_password: password,
      email: "ada@example.com",
      sealed,
    },
    null,
    2,
  ),
);
