/**
 * Stack `web`. Interim: the multi-AZ VPC only, until the stack's issue lands.
 */
import { Construct } from "constructs";
import { StackConfig } from "../config/schema";
import { MultiAzVpc } from "../constructs/network/multi-az-vpc";
import { ReferenceStack, ReferenceStackOptions } from "./reference-stack";

export class WebStack extends ReferenceStack {
  readonly network: MultiAzVpc;

  constructor(scope: Construct, config: StackConfig, options: ReferenceStackOptions = {}) {
    super(scope, "web", config, options);
    this.network = new MultiAzVpc(this, "network", {
      name: this.namePrefix,
      region: config.region,
      azs: config.azs,
      vpcCidr: config.vpcCidr,
      network: config.network,
    });
  }
}
