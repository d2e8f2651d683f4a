#!/usr/bin/env node
// The arklow-mock command of @arklow/mock: it runs the prebuilt binary for
// this platform, which npm installed as the one optional dependency of
// @arklow/mock that matches it (@arklow/mock-<platform>-<arch>), as esbuild
// and Biome do. Arguments, standard streams and signals pass through, and
// the binary's exit code is this command's: a binary ended by a signal ends
// this process by the same signal.
//
// ARKLOW_MOCK_BINARY, when set, names a binary to run instead (a local
// build, or a platform npm has no package for).
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const pkg = require("../package.json");
const scope = "@arklow/mock-";

function otherWays() {
  return [
    "Other ways to run arklow-mock:",
    `  Docker: docker run --rm -p 3123:3123 ghcr.io/arklow/arklow-mock:${pkg.version}`,
    `  Go:     go install github.com/arklow/arklow-mock@v${pkg.version}`,
    "  or a prebuilt binary from https://github.com/arklow/arklow-mock/releases",
  ].join("\n");
}

function fail(message) {
  process.stderr.write(`arklow-mock: ${message}\n${otherWays()}\n`);
  process.exit(1);
}

// binaryPath finds the binary of this platform's package.
function binaryPath() {
  if (process.env.ARKLOW_MOCK_BINARY) {
    return process.env.ARKLOW_MOCK_BINARY;
  }
  const platform = `${process.platform}-${process.arch}`;
  const name = scope + platform;
  const supported = Object.keys(pkg.optionalDependencies || {});
  if (!supported.includes(name)) {
    const list = supported.map((n) => n.slice(scope.length)).join(", ");
    fail(
      `@arklow/mock has no binary for this platform, ${platform} ` +
        `(process.platform ${process.platform}, process.arch ${process.arch}); it has ${list}.`,
    );
  }
  let dir;
  try {
    dir = path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    fail(
      `${name}, the package that holds the binary for ${platform}, is not installed. ` +
        "npm installs it with @arklow/mock as an optional dependency: install again without " +
        "--omit=optional (or --no-optional), and where a lockfile made on another platform " +
        "left it out, remove node_modules and the lockfile first.",
    );
  }
  const bin = path.join(dir, "bin", process.platform === "win32" ? "arklow-mock.exe" : "arklow-mock");
  if (process.platform !== "win32") {
    // Some package managers lose the executable bit on extraction.
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      try {
        fs.chmodSync(bin, 0o755);
      } catch {
        // spawn reports the problem
      }
    }
  }
  return bin;
}

function main() {
  const bin = binaryPath();
  const child = spawn(bin, process.argv.slice(2), { stdio: "inherit" });

  // Signals sent to this process go on to the binary, which decides what
  // they mean (SIGINT and SIGTERM: finish in-flight requests, exit 0); this
  // process waits for it instead of dying first and leaving it running. A
  // Ctrl-C in a terminal reaches both: the binary takes a repeat as one.
  // On Windows, Ctrl-C and Ctrl-Break reach the binary through the console;
  // this process only keeps from dying before it.
  const signals =
    process.platform === "win32" ? ["SIGINT", "SIGBREAK"] : ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2"];
  const forward = (signal) => {
    if (process.platform !== "win32" && child.pid !== undefined && child.exitCode === null) {
      try {
        child.kill(signal);
      } catch {
        // it has exited meanwhile
      }
    }
  };
  for (const signal of signals) {
    process.on(signal, forward);
  }

  // npx, npm exec and npm run start a bin through `sh -c`, and pass a
  // SIGTERM they get to that shell, which dies of it without passing it on:
  // the mock would be left running, holding its port. Started by npm, this
  // process takes the loss of its parent as a SIGTERM. (Started by a shell
  // that then exits, as in `arklow-mock &`, it keeps running, like the
  // binary itself would.)
  if (process.env.npm_command && process.platform !== "win32") {
    const parent = process.ppid;
    const orphaned = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(orphaned);
        forward("SIGTERM");
      }
    }, 250);
    orphaned.unref();
  }

  child.on("error", (err) => {
    fail(`cannot run ${bin}: ${err.message}`);
  });
  child.on("exit", (code, signal) => {
    for (const s of signals) {
      process.removeListener(s, forward);
    }
    if (signal) {
      // End this process the same way, so that its parent sees the signal.
      // The kernel may deliver it to another of Node.js's threads a moment
      // later, hence the wait. SIGUSR1 would start Node.js's inspector, and
      // a signal Node.js ignores (SIGPIPE) does nothing: those exit with the
      // code a shell reports for them.
      const shellCode = 128 + (os.constants.signals[signal] || 0);
      if (signal === "SIGUSR1") {
        process.exit(shellCode);
      }
      setTimeout(() => process.exit(shellCode), 1000);
      try {
        process.kill(process.pid, signal);
      } catch {
        process.exit(shellCode);
      }
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

main();
