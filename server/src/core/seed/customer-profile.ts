import type { Consent } from '../data/model.js';
import { FEMALE_CHARS, MALE_CHARS, surnames } from './people.js';
import { places } from './places.js';
import type { Rng } from './prng.js';

/**
 * Who a demo customer is: name, contact points, place, device, consent per channel. Contact data
 * is recognisably fake on purpose: phones are masked the way Taobao shows them (138****5678) and
 * e-mail domains end in `.example` (RFC 2606), so a demo shop wired to a real SMS or SMTP gateway
 * can never reach a real person.
 */
export interface Profile {
  name: string;
  gender: 'female' | 'male';
  birthMonth: number;
  phone: string | null;
  email: string | null;
  wechatId: string | null;
  province: string;
  city: string;
  south: boolean;
  device: 'mobile' | 'pc';
  consent: Consent;
  /** The customer's price line: 1 = the shop's median, 2 = buys the premium line. */
  priceLevel: number;
  student: boolean;
  wholesale: boolean;
}

const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '173', '176', '177', '178', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '199'];
const MAIL_DOMAINS = ['qq.example', '163.example', '126.example', 'sina.example', 'foxmail.example', 'gmail.example'];
const BASE36 = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function generateProfile(rng: Rng): Profile {
  const gender = rng.chance(0.82) ? 'female' : 'male';
  const [surname, surnamePy] = surnames.pick(rng);
  const chars = gender === 'female' ? FEMALE_CHARS : MALE_CHARS;
  const given = rng.chance(0.7) ? [rng.pick(chars), rng.pick(chars)] : [rng.pick(chars)];
  const name = surname + given.map((g) => g[0]).join('');
  const pinyin = surnamePy + given.map((g) => g[1]).join('');

  const phone = rng.chance(0.97) ? `${rng.pick(PHONE_PREFIXES)}****${String(rng.int(0, 9999)).padStart(4, '0')}` : null;
  const email = rng.chance(0.3) ? `${pinyin}${rng.chance(0.6) ? rng.int(1, 9999) : ''}@${rng.pick(MAIL_DOMAINS)}` : null;
  let wechatId: string | null = null;
  if (rng.chance(0.22)) {
    wechatId = rng.chance(0.5) ? `${pinyin}_${rng.int(10, 999)}` : 'wxid_' + Array.from({ length: 10 }, () => rng.pick([...BASE36])).join('');
  }
  const place = places.pick(rng);
  const device = rng.chance(0.8) ? 'mobile' : 'pc';

  const consent: Consent = {};
  if (rng.chance(0.04)) {
    // Opted out of everything: segments must leave them alone.
    consent.sms = false;
    if (email) consent.email = false;
    if (wechatId) consent.wechat = false;
    consent.wangwang = false;
  } else {
    const sms = rng.next();
    if (phone && sms < 0.84) consent.sms = true;
    else if (phone && sms < 0.92) consent.sms = false;
    if (email) {
      const e = rng.next();
      if (e < 0.45) consent.email = true;
      else if (e < 0.75) consent.email = false;
    }
    if (wechatId) consent.wechat = rng.chance(0.65);
    const ww = rng.next();
    if (ww < 0.7) consent.wangwang = true;
    else if (ww < 0.8) consent.wangwang = false;
    if (device === 'mobile' && rng.chance(0.4)) consent.push = true;
  }

  return {
    name,
    gender,
    birthMonth: rng.int(1, 12),
    phone,
    email,
    wechatId,
    province: place.province,
    city: place.city,
    south: place.south,
    device,
    consent,
    priceLevel: Math.min(3.5, Math.max(0.4, rng.logNormal(1, 0.35))),
    student: rng.chance(0.06),
    wholesale: rng.chance(0.008),
  };
}
