import { Weighted } from './prng.js';

/**
 * Chinese names for the demo shop, with pinyin so e-mail handles look like the real thing
 * (wangfang88). Surname weights follow the common-surname ranking roughly; a clothing shop's
 * customers are mostly women, so given names lean that way (see customer-profile.ts).
 */
const SURNAMES: [string, string, number][] = [
  ['王', 'wang', 72], ['李', 'li', 70], ['张', 'zhang', 66], ['刘', 'liu', 54], ['陈', 'chen', 46],
  ['杨', 'yang', 32], ['黄', 'huang', 24], ['赵', 'zhao', 22], ['吴', 'wu', 21], ['周', 'zhou', 21],
  ['徐', 'xu', 15], ['孙', 'sun', 15], ['马', 'ma', 14], ['朱', 'zhu', 13], ['胡', 'hu', 12],
  ['郭', 'guo', 12], ['何', 'he', 11], ['林', 'lin', 10], ['高', 'gao', 10], ['罗', 'luo', 10],
  ['郑', 'zheng', 9], ['梁', 'liang', 8], ['谢', 'xie', 7], ['宋', 'song', 7], ['唐', 'tang', 7],
  ['许', 'xu', 6], ['韩', 'han', 6], ['冯', 'feng', 6], ['邓', 'deng', 6], ['曹', 'cao', 6],
  ['彭', 'peng', 5], ['曾', 'zeng', 5], ['肖', 'xiao', 5], ['田', 'tian', 5], ['董', 'dong', 5],
  ['袁', 'yuan', 4], ['潘', 'pan', 4], ['蒋', 'jiang', 4], ['蔡', 'cai', 4], ['余', 'yu', 4],
  ['杜', 'du', 4], ['叶', 'ye', 4], ['程', 'cheng', 4], ['魏', 'wei', 3], ['苏', 'su', 3],
  ['吕', 'lv', 3], ['丁', 'ding', 3], ['任', 'ren', 3], ['沈', 'shen', 3], ['姚', 'yao', 3],
  ['卢', 'lu', 3], ['姜', 'jiang', 3], ['崔', 'cui', 3], ['钟', 'zhong', 3], ['谭', 'tan', 3],
  ['陆', 'lu', 2], ['汪', 'wang', 2], ['范', 'fan', 2], ['金', 'jin', 2], ['石', 'shi', 2],
  ['廖', 'liao', 2], ['贾', 'jia', 2], ['夏', 'xia', 2], ['韦', 'wei', 2], ['方', 'fang', 2],
  ['白', 'bai', 2], ['邹', 'zou', 2], ['孟', 'meng', 2], ['熊', 'xiong', 2], ['秦', 'qin', 2],
  ['欧阳', 'ouyang', 0.5], ['上官', 'shangguan', 0.2], ['司马', 'sima', 0.2],
];

const FEMALE_CHARS: [string, string][] = [
  ['芳', 'fang'], ['娜', 'na'], ['敏', 'min'], ['静', 'jing'], ['丽', 'li'], ['艳', 'yan'],
  ['娟', 'juan'], ['霞', 'xia'], ['燕', 'yan'], ['玲', 'ling'], ['婷', 'ting'], ['雪', 'xue'],
  ['琳', 'lin'], ['晶', 'jing'], ['颖', 'ying'], ['慧', 'hui'], ['佳', 'jia'], ['欣', 'xin'],
  ['怡', 'yi'], ['梦', 'meng'], ['雨', 'yu'], ['涵', 'han'], ['萱', 'xuan'], ['思', 'si'],
  ['诗', 'shi'], ['悦', 'yue'], ['媛', 'yuan'], ['倩', 'qian'], ['蕾', 'lei'], ['瑶', 'yao'],
  ['璐', 'lu'], ['晓', 'xiao'], ['小', 'xiao'], ['文', 'wen'], ['嘉', 'jia'], ['可', 'ke'],
  ['月', 'yue'], ['春', 'chun'], ['秀', 'xiu'], ['美', 'mei'], ['紫', 'zi'], ['菲', 'fei'],
];

const MALE_CHARS: [string, string][] = [
  ['伟', 'wei'], ['强', 'qiang'], ['磊', 'lei'], ['军', 'jun'], ['洋', 'yang'], ['勇', 'yong'],
  ['杰', 'jie'], ['涛', 'tao'], ['明', 'ming'], ['超', 'chao'], ['鹏', 'peng'], ['浩', 'hao'],
  ['宇', 'yu'], ['俊', 'jun'], ['辉', 'hui'], ['斌', 'bin'], ['峰', 'feng'], ['志', 'zhi'],
  ['建', 'jian'], ['子', 'zi'], ['轩', 'xuan'], ['博', 'bo'], ['文', 'wen'], ['海', 'hai'],
];

export const surnames = new Weighted(SURNAMES.map(([s, py, w]) => [[s, py] as const, w] as const));
export { FEMALE_CHARS, MALE_CHARS };
