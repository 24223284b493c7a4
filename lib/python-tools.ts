/**
 * Where the project's Python tools live: the project-local virtual environment `.venv/` that
 * `tools/install.sh` fills from the pinned `tools/requirements.txt` (the moto emulator and
 * checkov). Nothing here installs: callers that need a tool get a message naming the command.
 */
import * as fs from "fs";
import * as path from "path";

/** The project's root (the folder holding `tools/`), from the source or the compiled `dist/` tree. */
export const PROJECT_ROOT =
  [path.resolve(__dirname, ".."), path.resolve(__dirname, "..", "..")].find((dir) => fs.existsSync(path.join(dir, "tools", "requirements.txt"))) ??
  path.resolve(__dirname, "..");

export const VENV_DIR = path.join(PROJECT_ROOT, ".venv");
export const INSTALL_COMMAND = "bash tools/install.sh";

/** The Python tools the project runs, by the name of their executable in `.venv/bin`. */
export type PythonTool = "moto_server" | "checkov";

export function toolPath(tool: PythonTool, venv: string = VENV_DIR): string {
  return path.join(venv, "bin", tool);
}

export function toolInstalled(tool: PythonTool, venv: string = VENV_DIR): boolean {
  try {
    fs.accessSync(toolPath(tool, venv), fs.constants.X_OK);
    return fs.existsSync(path.join(venv, ".requirements.sha256"));
  } catch {
    return false;
  }
}

/** The tool's path, or an error that says how to install it. */
export function requireTool(tool: PythonTool, venv: string = VENV_DIR): string {
  if (!toolInstalled(tool, venv)) {
    throw new Error(`${tool} is not installed in ${path.relative(process.cwd(), venv) || venv}: run \`${INSTALL_COMMAND}\` (needs Python 3.9+ and PyPI)`);
  }
  return toolPath(tool, venv);
}
