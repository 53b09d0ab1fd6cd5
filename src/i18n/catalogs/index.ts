// Every catalog Hearth ships, by locale. To add a language: see "Languages" in README.md.
import type { Locale } from '../locales.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { en, type MessageKey } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';

export type { MessageKey };

export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, es, fr, de, ar };
