/**
 * The executable entry of the `ditto` command line: runs {@link runCli} on the process's arguments and exits with
 * its status (bin/ditto.mjs loads it).
 * Part of src/cli: imports src/core and src/nn only.
 */
import { runCli } from './main.ts';

process.exitCode = await runCli(process.argv.slice(2));
