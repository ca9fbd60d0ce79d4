import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { chooseLocale } from './locales.js';
import type { Message } from './types.js';

const placeholders = (message: Message): string[] => {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [
    ...new Set(texts.flatMap((text) => [...(text ?? '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))),
  ].sort();
};

describe('message catalogues', () => {
  for (const [name, catalogue] of Object.entries({ fr, es })) {
    it(`${name} has every English key, with the same placeholders, and is translated`, () => {
      expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
      for (const key of Object.keys(en) as (keyof typeof en)[]) {
        expect(placeholders(catalogue[key]), `${name} ${key}`).toEqual(placeholders(en[key]));
        if (typeof en[key] !== 'string') expect(catalogue[key], `${name} ${key}`).toHaveProperty('other');
      }
      const same = (Object.keys(en) as (keyof typeof en)[]).filter(
        (key) => JSON.stringify(catalogue[key]) === JSON.stringify(en[key]),
      );
      // Codes, names and formats may stay the same; prose may not.
      expect(
        same.filter((key) => typeof en[key] !== 'string' || (en[key] as string).split(' ').length > 3),
      ).toEqual([]);
    });
  }
});

describe('choosing the language', () => {
  const memory = () => {
    const store = new Map<string, string>();
    return {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
    };
  };

  it('takes ?lang= first and remembers it, then the remembered one, then English', () => {
    const storage = memory();
    expect(chooseLocale('?lang=fr', storage)).toEqual({ code: 'fr', unknown: null });
    expect(chooseLocale('', storage)).toEqual({ code: 'fr', unknown: null });
    expect(chooseLocale('?lang=ES', storage)).toEqual({ code: 'es', unknown: null });
    expect(chooseLocale('', memory())).toEqual({ code: 'en', unknown: null });
  });

  it('falls back to English for an unknown language and says which one was asked for', () => {
    const storage = memory();
    expect(chooseLocale('?lang=xx', storage)).toEqual({ code: 'en', unknown: 'xx' });
    expect(chooseLocale('', storage)).toEqual({ code: 'en', unknown: null });
  });
});
