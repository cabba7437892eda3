variable "region" {
  description = "AWS region of the shop's network"
  type        = string
  default     = "ap-northeast-2"
}

variable "vpc_cidr" {
  description = "Address range of the VPC"
  type        = string
  default     = "10.0.0.0/16"
}

variable "name" {
  description = "Prefix of every Name tag: shop-vpc, shop-public-1, ..."
  type        = string
  default     = "shop"
}
