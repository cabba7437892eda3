-- AlterTable: the colour scheme a user chose (system follows the device, or light, or dark), kept on the account
ALTER TABLE "User" ADD COLUMN     "theme" TEXT NOT NULL DEFAULT 'system';
