-- Run once, when MySQL initialises an empty data directory (in the MYSQL_DATABASE, shop).
CREATE TABLE products (
  id    INT PRIMARY KEY AUTO_INCREMENT,
  sku   VARCHAR(20) NOT NULL UNIQUE,
  name  VARCHAR(100) NOT NULL,
  price INT NOT NULL
);
INSERT INTO products (sku, name, price) VALUES ('MUG-01', 'DevOps mug', 12000), ('TEE-02', 'Ship it t-shirt', 25000), ('STK-03', 'Sticker pack', 4000);
