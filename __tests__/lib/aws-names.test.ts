import * as fs from "fs";
import { AWS_NAMES_FILE, renderAwsNames } from "../../scripts/aws-names";
import { AWS_REGIONS, EC2_INSTANCE_TYPES } from "../../lib/aws-names";

describe("the AWS regions and instance types the configuration accepts", () => {
  test("lib/aws-names.ts is what the installed AWS SDK lists (npm run aws-names regenerates it)", () => {
    expect(fs.readFileSync(AWS_NAMES_FILE, "utf8")).toBe(renderAwsNames());
  });

  test("hold the regions of the three partitions and the instance types the stacks use", () => {
    expect(AWS_REGIONS).toEqual(expect.arrayContaining(["ap-northeast-2", "us-east-1", "cn-north-1", "us-gov-west-1"]));
    expect(AWS_REGIONS).not.toContain("aws-global");
    expect(EC2_INSTANCE_TYPES).toEqual(expect.arrayContaining(["t3.micro", "t4g.small", "m7i.metal-24xl", "m5d.large"]));
    expect(EC2_INSTANCE_TYPES).not.toContain("t3.mirco");
  });
});
