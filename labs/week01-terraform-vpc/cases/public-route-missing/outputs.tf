output "public_subnet_ids" {
  value = [for s in aws_subnet.public : s.id]
}

output "nat_public_ips" {
  value = { for k, e in aws_eip.nat : k => e.public_ip }
}
