variable "region" {
  description = "AWS region of the shop's production network"
  type        = string
  default     = "ap-northeast-2"
}

variable "name" {
  description = "Prefix of every Name tag and security group name"
  type        = string
  default     = "shop-prod"
}

variable "vpc_cidr" {
  description = "Address range of the VPC"
  type        = string
  default     = "10.0.0.0/16"
}

variable "zone_count" {
  description = "Availability zones the shop runs in: one public subnet, one private subnet and one NAT gateway in each"
  type        = number
  default     = 3
}

variable "public_netnums" {
  description = "cidrsubnet() number of each zone's public subnet, in zone order (never renumber a subnet in use)"
  type        = list(number)
  default     = [0, 1, 4]
}

variable "private_netnums" {
  description = "cidrsubnet() number of each zone's private subnet, in zone order (never renumber a subnet in use)"
  type        = list(number)
  default     = [2, 3, 5]
}
