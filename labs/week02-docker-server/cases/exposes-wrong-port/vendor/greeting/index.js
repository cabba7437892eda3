'use strict';
// A tiny dependency, vendored so that the image builds with no network.
const words = { ko: '안녕하세요', en: 'hello' };
exports.greet = (lang) => `${words[lang] || words.en} from hello-server`;
