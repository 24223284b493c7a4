import * as fs from "fs";
import * as path from "path";
import { removeStaleReviews, reviewLines } from "../../review";
import { withTempDir } from "../helpers";

describe("the review folder after stacks was narrowed", () => {
  test("the plans, reports and pictures of stacks no longer reviewed are removed; other files stay", () => {
    withTempDir((dir) => {
      // GIVEN a folder `npm run plan` filled for recovery and web, plus files of the user's
      const files = [
        "recovery.plan.json",
        "recovery.md",
        "recovery.svg",
        "web.plan.json",
        "web.md",
        "web.svg",
        "README.md",
        "other.md",
        "account-web.plan.json",
      ];
      for (const f of files) fs.writeFileSync(path.join(dir, f), "x");

      // WHEN only recovery is reviewed
      const removed = removeStaleReviews(dir, ["recovery"]);

      // THEN web's files are gone and said so
      expect(removed.map((f) => path.basename(f)).sort()).toEqual(["web.md", "web.plan.json", "web.svg"]);
      expect(fs.readdirSync(dir).sort()).toEqual(["README.md", "account-web.plan.json", "other.md", "recovery.md", "recovery.plan.json", "recovery.svg"]);
      expect(reviewLines([], undefined, removed)).toEqual(removed.map((f) => `removed ${f} (the stack is no longer in stacks)`));
    });
  });
});
