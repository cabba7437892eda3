'use strict';
// The shop's catalogue as the storefront shows it when the database is not needed (prices in won).
const products = [
  { id: 1, sku: 'MUG-01', name: 'DevOps mug', price: 12000 },
  { id: 2, sku: 'TEE-02', name: 'Ship it t-shirt', price: 25000 },
  { id: 3, sku: 'STK-03', name: 'Sticker pack', price: 4000 },
];
module.exports = { products };
