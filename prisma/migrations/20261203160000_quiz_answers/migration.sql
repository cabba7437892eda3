-- CreateTable
CREATE TABLE "QuizAnswer" (
    "userId" TEXT NOT NULL,
    "week" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "quiz" INTEGER NOT NULL,
    "firstChoice" INTEGER NOT NULL,
    "firstCorrect" BOOLEAN NOT NULL,
    "lastChoice" INTEGER NOT NULL,
    "lastCorrect" BOOLEAN NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuizAnswer_pkey" PRIMARY KEY ("userId","week","slug","quiz")
);

-- AddForeignKey
ALTER TABLE "QuizAnswer" ADD CONSTRAINT "QuizAnswer_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

