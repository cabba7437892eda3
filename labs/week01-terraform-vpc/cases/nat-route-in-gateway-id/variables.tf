variable "region" {
  description = "AWS region to build the VPC in"
  type        = string
  default     = "ap-northeast-2"
}

variable "vpc_cidr" {
  description = "Address range of the VPC"
  type        = string
  default     = "10.0.0.0/16"
}

variable "name" {
  description = "Prefix for the Name tags"
  type        = string
  default     = "devops-study"
}
