/** The small shop project the demo, the simulator server and the e2e workflow pull from. */
export const demoLocales = [
  { id: 'loc-en', name: 'en', code: 'en-US', default: true },
  { id: 'loc-de', name: 'de', code: 'de-DE' },
  { id: 'loc-fr', name: 'fr', code: 'fr-FR' },
  { id: 'loc-ja', name: 'ja', code: 'ja-JP' }
]

export function demoTranslations(): Record<string, Record<string, string>> {
  return {
    en: {
      'nav.home': 'Home',
      'nav.cart': 'Cart',
      'checkout.pay': 'Pay now',
      'checkout.total': 'Total: %{amount}'
    },
    de: {
      'nav.home': 'Startseite',
      'nav.cart': 'Warenkorb',
      'checkout.pay': 'Jetzt bezahlen',
      'checkout.total': 'Summe: %{amount}'
    },
    fr: {
      'nav.home': 'Accueil',
      'nav.cart': 'Panier',
      'checkout.pay': 'Payer',
      'checkout.total': 'Total : %{amount}'
    },
    ja: {
      'nav.home': 'ホーム',
      'nav.cart': 'カート',
      'checkout.pay': '今すぐ支払う',
      'checkout.total': '合計: %{amount}'
    }
  }
}

/** The demo repository's first commit: stale en/de files and a .phrase.yml with two targets. */
export const demoRepositoryFiles: Record<string, string> = {
  'README.md': '# shop\n',
  'config/locales/en.yml':
    'en:\n  nav:\n    home: Home\n    cart: Cart\n  checkout:\n    pay: Pay now\n    total: "Total: %{amount}"\n',
  'config/locales/de.yml':
    'de:\n  nav:\n    home: Start\n    cart: Warenkorb\n  checkout:\n    pay: Bezahlen\n  legacy:\n    banner: Alt\n',
  '.phrase.yml': [
    'phrase:',
    '  project_id: demo',
    '  file_format: yml',
    '  pull:',
    '    targets:',
    '      - file: ./config/locales/<locale_name>.yml',
    '      - file: ./web/src/i18n/<locale_code>.json',
    '        project_id: web',
    '        params:',
    '          file_format: nested_json',
    ''
  ].join('\n')
}
