provider "aws" {
  region = "ap-northeast-2"
}

locals {
  vpc_cidr = "10.0.0.0/16"

  # 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24
  subnet_cidrs = cidrsubnets(local.vpc_cidr, 8, 8, 8, 8)

  common_tags = {
    Project = "shop"
    Owner   = "week1"
  }
}
