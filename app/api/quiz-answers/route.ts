import { recordQuizAnswer, quizAnswerInput } from '@/lib/progress/quiz-answers';
import { route, methodNotAllowed } from '@/app/_server/http/handler';

export const dynamic = 'force-dynamic';

/** A signed-in reader's answer to a lesson's self-check: judged against the lesson, recorded (first and latest). */
export const POST = route({ body: quizAnswerInput }, async ({ body, user }) => recordQuizAnswer(user!, body));

export const GET = methodNotAllowed(['POST']);
