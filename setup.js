// As in the CDKTF TypeScript template: registers the CDKTF jest matchers
// (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...).
const cdktf = require("cdktf");
// As scripts/run.js: the pinned AWS SDK runs on Node 20; its warning about later releases is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
cdktf.Testing.setupJest();
// cdktf records where each token was created (a full stack trace captured on a plain object, for
// its error messages); under jest every such trace went through source-map-support's mapping,
// about half the CPU of a stack's synth. A trace captured on anything but an Error is formatted
// in V8's own frame format, unmapped (positions in the transpiled code); errors keep jest's mapping.
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error, frames) => (error instanceof Error ? mapped(error, frames) : `${error}${frames.map((f) => `\n    at ${f}`).join("")}`);
}
