/** QuickSight group ARN; groups live in a namespace, and the platform uses `default`. */
export function quicksightGroupArn(input: { region: string; accountId: string; group: string; namespace?: string }): string {
  return `arn:aws:quicksight:${input.region}:${input.accountId}:group/${input.namespace ?? "default"}/${input.group}`;
}

export function subnetArn(region: string, accountId: string, subnetId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:subnet/${subnetId}`;
}

export function securityGroupArn(region: string, accountId: string, securityGroupId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:security-group/${securityGroupId}`;
}

export function networkInterfacesArn(region: string, accountId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:network-interface/*`;
}
