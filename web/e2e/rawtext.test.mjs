// node --test e2e/rawtext.test.mjs — the walks' leak check fails on each kind of leak.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isChineseScreen, textProblems } from './rawtext.mjs';

test('a snake_case key is flagged', () => {
  assert.deepEqual(textProblems('材料类型 business_license 待核验'), ['key "business_license"']);
});

test("antd's untranslated defaults are flagged", () => {
  assert.deepEqual(textProblems('No data'), ['antd default "No data"']);
  assert.deepEqual(textProblems('10 / page'), ['antd default "/ page"']);
  assert.deepEqual(textProblems('Items per page'), ['antd default "Items per page"']);
});

test('a MIME type is flagged', () => {
  assert.deepEqual(textProblems('营业执照.pdf application/pdf 12 KB'), ['MIME type "application/pdf"']);
  assert.deepEqual(textProblems('image/png'), ['MIME type "image/png"']);
});

test('each leak is named once, every kind together', () => {
  assert.deepEqual(textProblems('returned_for returned_for No data text/plain'), [
    'key "returned_for"',
    'antd default "No data"',
    'MIME type "text/plain"',
  ]);
});

test('Chinese text, e-mail addresses, dates and file names pass', () => {
  assert.deepEqual(
    textProblems('暂无数据\n共 3 条 10 条/页\nfounder@demo.incuchain.cn 2026-12-06 营业执照.pdf 申请已退回：材料已删除'),
    [],
  );
});

test('the language decides which screens are checked', () => {
  assert.equal(isChineseScreen('zh-CN'), true);
  assert.equal(isChineseScreen('zh'), true);
  assert.equal(isChineseScreen('en'), false);
  assert.equal(isChineseScreen(''), false);
});
