-- AlterTable
ALTER TABLE "Submission" ADD COLUMN     "progress" JSONB;

