'use server';
import { action } from '@/app/_server/actions';
import { lessonStateInput, setLessonState } from '@/lib/progress/set-lesson-state';

export const markLesson = action({ schema: lessonStateInput }, async (input, user) => {
  await setLessonState(user!, input);
  return input.state;
});
