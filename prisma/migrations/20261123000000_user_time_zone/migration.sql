-- AlterTable: the time zone a user's days are counted and dates shown in (null: the course's home, Asia/Seoul)
ALTER TABLE "User" ADD COLUMN     "timeZone" TEXT;
