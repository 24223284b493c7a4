import { instanceTagPath, isMetadataTagKey } from "../../lib/instance-metadata";

describe("instance metadata", () => {
  test.each(["ServerGroup", "ElasticIpAllocationId", "team:cost-center", "a.b,c=d+e@f_g"])("%s can be an instance tag served by the metadata", (key) => {
    expect(isMetadataTagKey(key)).toBe(true);
    expect(instanceTagPath(key)).toBe(`tags/instance/${key}`);
  });

  // EC2 refuses to launch instances whose tags are in their metadata with such keys.
  test.each(["cost center", "kubernetes.io/cluster/demo", ".", "..", "_index", "", "k".repeat(129)])("%j cannot", (key) => {
    expect(isMetadataTagKey(key)).toBe(false);
    expect(() => instanceTagPath(key)).toThrow(/is not a tag key the instance metadata serves: 1 to 128 letters, digits/);
  });
});
