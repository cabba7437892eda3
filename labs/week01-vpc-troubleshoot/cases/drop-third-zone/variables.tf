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
  default     = 2
}
