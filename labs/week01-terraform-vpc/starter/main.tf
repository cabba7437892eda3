# Week 1 lab: build an AWS VPC with Terraform.
# Read the instructions on the lab page, then fill in the TODOs. You can split the code into
# variables.tf and outputs.tf as well; every .tf file you submit is read.

terraform {
  # TODO: pin the AWS provider (source and version) in required_providers.
}

provider "aws" {
  region = "ap-northeast-2"
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"

  # TODO: DNS settings

  tags = {
    Name = "devops-study-vpc"
  }
}

# TODO: two public subnets and two private subnets in two availability zones,
#       their cidr_block computed with cidrsubnet().

# TODO: an internet gateway, a public route table with a default route, and associations.

# TODO: an Elastic IP and a NAT gateway in a public subnet, a private route table, and associations.
