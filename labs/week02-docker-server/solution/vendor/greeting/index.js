'use strict';
// A tiny dependency, vendored so that the image builds with no network.
const words = { ko: '안녕하세요, 쇼핑몰의 checkout 서비스입니다', en: "hello from checkout, the shop's service" };
exports.greet = (lang) => words[lang] || words.en;
