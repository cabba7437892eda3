-- AlterTable: an e-mail invite is only an invitation, which the owner of the address accepts or declines (declined: no
-- longer offered to them, still "invited" to the instructor)
ALTER TABLE "CohortInvite" ADD COLUMN     "declinedAt" TIMESTAMP(3);

-- CreateIndex: the pending invites of a person are found by their e-mail
CREATE INDEX "CohortInvite_email_idx" ON "CohortInvite"("email");
