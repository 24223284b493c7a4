// ESLint (flat config): the recommended rules of ESLint and typescript-eslint, run by `npm run lint` and in `npm test`.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const node = {
  require: "readonly",
  module: "writable",
  process: "readonly",
  __dirname: "readonly",
  console: "readonly",
  Buffer: "readonly",
  setTimeout: "readonly",
};

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", ".build/", "cdktf.out/", "plan-review/", ".venv/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name`: a value taken apart on purpose and not used (`const { $schema: _schema, ...rest } = ...`).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
  // Tests read synthesized Terraform JSON loosely, and load the plain-JavaScript Lambda handlers as Lambda does.
  { files: ["__tests__/**"], rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" } },
  { files: ["**/*.js"], languageOptions: { sourceType: "commonjs", globals: node }, rules: { "@typescript-eslint/no-require-imports": "off" } },
);
