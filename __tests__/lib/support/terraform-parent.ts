/**
 * A program that runs `terraform apply` in the directory given as its first argument and waits
 * for it (a test ends the program with a signal while the apply runs).
 */
import { terraform } from "../../../lib/terraform";

void terraform(["apply", "-auto-approve", "-input=false", "-no-color"], process.argv[2]).then(
  () => process.stdout.write("applied\n"),
  (e: Error) => process.stdout.write(`failed: ${e.message}\n`),
);
