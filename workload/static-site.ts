import { assertAbsolutePath } from "./validation";
import { WorkloadFile } from "./workload-file";

/**
 * The static part of the site, after the course: a page root served as is, and
 * sections whose pages live in another directory, reached by a short URL (`/album`) rather
 * than by their place on disk (`/Fastcampus-web-deploy/page/album`), which stays hidden.
 */
export interface StaticSiteProps {
  /**
   * Directory served for plain static files such as `/index.html`.
   * @default "/usr/share/nginx/html" - the nginx package's own document root
   */
  readonly staticRoot?: string;

  /**
   * Directory holding one subdirectory per page section (`album/`, `signin/`). Outside the
   * static root, so the pages are reachable only by their short URL.
   * @default "/usr/share/nginx/pages"
   */
  readonly pagesRoot?: string;
}

export const DEFAULT_STATIC_ROOT = "/usr/share/nginx/html";
export const DEFAULT_PAGES_ROOT = "/usr/share/nginx/pages";

/** The sections nginx serves from the pages root, as in the course's `location ~* /(album|signin)`. */
export const PAGE_SECTIONS: readonly string[] = ["album", "signin"];

/** The page files for both roots, each page naming itself so a test can tell which was served. */
export function staticSiteFiles(props: StaticSiteProps = {}): WorkloadFile[] {
  const staticRoot = props.staticRoot ?? DEFAULT_STATIC_ROOT;
  const pagesRoot = props.pagesRoot ?? DEFAULT_PAGES_ROOT;
  assertAbsolutePath("staticRoot", staticRoot);
  assertAbsolutePath("pagesRoot", pagesRoot);

  return [
    { path: `${staticRoot}/index.html`, content: page("static root", "index") },
    ...PAGE_SECTIONS.map((section) => ({
      path: `${pagesRoot}/${section}/index.html`,
      content: page("pages root", section),
    })),
  ];
}

function page(root: string, title: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1><p>Served by nginx from the ${root}.</p></body></html>
`;
}
