/**
 * sandbox/sandbox.ts's taggedResources against a stand-in for the emulator's tagging API on
 * loopback: every page is read; a 500 (the pinned moto's listing failing while other stacks are
 * applied) starts the listing again from its first page, a bounded number of times; a 4xx is
 * not retried.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { EmulatorCallError, TAGGED_RESOURCES_ATTEMPTS, taggedResources } from "../../sandbox/sandbox";

/** A stand-in answering each GetResources with the next of `answers` (status, body); it records the requests' bodies. */
async function standIn(answers: readonly [number, unknown][]): Promise<{ endpoint: string; requests: Record<string, unknown>[]; close: () => Promise<void> }> {
  const requests: Record<string, unknown>[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      requests.push(JSON.parse(body) as Record<string, unknown>);
      const [status, answer] = answers[Math.min(requests.length - 1, answers.length - 1)];
      res.writeHead(status, { "content-type": status === 200 ? "application/x-amz-json-1.1" : "text/html" });
      res.end(typeof answer === "string" ? answer : JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const TAGS = [{ Key: "Stack", Values: ["web"] }];
const page = (arns: string[], token?: string) => ({
  ResourceTagMappingList: arns.map((ResourceARN) => ({ ResourceARN })),
  ...(token ? { PaginationToken: token } : {}),
});
const ERROR_PAGE = "<title>500 Internal Server Error</title>";

describe("taggedResources", () => {
  test("reads every page, asking for the next by its token", async () => {
    const s = await standIn([
      [200, page(["arn:a", "arn:b"], "t1")],
      [200, page(["arn:c"])],
    ]);
    try {
      expect(await taggedResources(s.endpoint, "ap-northeast-2", TAGS)).toEqual(["arn:a", "arn:b", "arn:c"]);
      expect(s.requests).toEqual([
        { TagFilters: TAGS, ResourcesPerPage: 100 },
        { TagFilters: TAGS, ResourcesPerPage: 100, PaginationToken: "t1" },
      ]);
    } finally {
      await s.close();
    }
  });

  test("after a 500 on a later page, lists again from the first page, nothing counted twice", async () => {
    const s = await standIn([
      [200, page(["arn:a"], "t1")],
      [500, ERROR_PAGE],
      [200, page(["arn:a"], "t2")],
      [200, page(["arn:b"])],
    ]);
    try {
      expect(await taggedResources(s.endpoint, "ap-northeast-2", TAGS)).toEqual(["arn:a", "arn:b"]);
      expect(s.requests.map((r) => r.PaginationToken)).toEqual([undefined, "t1", undefined, "t2"]);
    } finally {
      await s.close();
    }
  });

  test(`gives up after ${TAGGED_RESOURCES_ATTEMPTS} listings that each failed, with the emulator's answer`, async () => {
    const s = await standIn([[500, ERROR_PAGE]]);
    try {
      const failure = taggedResources(s.endpoint, "ap-northeast-2", TAGS);
      await expect(failure).rejects.toThrow(EmulatorCallError);
      await expect(failure).rejects.toThrow(`ResourceGroupsTaggingAPI_20170126.GetResources at the emulator failed (500): ${ERROR_PAGE}`);
      expect(s.requests).toHaveLength(TAGGED_RESOURCES_ATTEMPTS);
    } finally {
      await s.close();
    }
  });

  test("a 400 (the request is wrong) is not retried", async () => {
    const s = await standIn([[400, { __type: "InvalidParameterException", message: "ResourcesPerPage must be between 1 and 100" }]]);
    try {
      await expect(taggedResources(s.endpoint, "ap-northeast-2", TAGS)).rejects.toThrow(/failed \(400\): .*ResourcesPerPage must be between 1 and 100/);
      expect(s.requests).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
