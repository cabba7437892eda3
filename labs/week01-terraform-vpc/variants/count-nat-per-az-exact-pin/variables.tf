variable "aws_region" {
  description = "AWS region"
  type        = string
  default     = "ap-northeast-2"
}

variable "name" {
  description = "Name prefix"
  type        = string
  default     = "shop"
}

variable "vpc_cidr" {
  description = "VPC range"
  type        = string
  default     = "10.0.0.0/16"
}

variable "subnet_newbits" {
  description = "Bits added to the VPC prefix for each subnet (/16 + 8 = /24)"
  type        = number
  default     = 8
}

variable "azs" {
  description = "Availability zones to spread the subnets over"
  type        = list(string)
  default     = ["ap-northeast-2a", "ap-northeast-2b"]
}

variable "tags" {
  description = "Tags for every resource"
  type        = map(string)
  default = {
    Environment = "prod"
  }
}
