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
