/**
 * Real Phrase CLI configs from public repositories (and the Phrase docs), each planned the way
 * `phrase pull` would pull it: which file each locale lands in, and the request that fills it.
 * The fixtures sit in __tests__/fixtures/phrase-configs/, each with its source in a comment.
 *
 * The expected plans are written by hand from the CLI's rules (phrase/phrase-cli
 * cmd/internal/pull_target.go, pull.go, placeholders/placeholders.go; phrase/phrase-go config.go):
 * `<locale_name>` is the locale name (after `locale_mapping`), `<locale_code>` its code, `<tag>`
 * one file per tag; `params.file_format` > the target's `file_format` > the top-level one;
 * `params.tags` > the deprecated `params.tag`; a target with `locale_id` pulls that locale only;
 * the file is found by default as `.phrase.yml`, else `.phraseapp.yml` (root `phrase` or
 * `phraseapp`). Where this action differs from the CLI (sync-only params, a Windows path, a
 * file on a `.git*` name), the case says so.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readSettings } from '../src/inputs.js'
import { silentLogger, type Logger } from '../src/logger.js'
import { planAll, type PlannedFile } from '../src/plan.js'
import type { PhraseLocale } from '../src/phrase/types.js'

const FIXTURES = fileURLToPath(new URL('./fixtures/phrase-configs/', import.meta.url))

/** A locale whose id is derived from its name, for configs that pick locales by name. */
const named = (name: string, code = name): PhraseLocale => ({ id: `id-${name}`, name, code })
/** A locale known by its hexadecimal id, for configs that pick locales by id. */
const withId = (id: string, name: string, code = name): PhraseLocale => ({ id, name, code })

interface Case {
  fixture: string
  /** The project's locales, per project id. */
  projects: Record<string, PhraseLocale[]>
  /** Workflow inputs besides the tokens. */
  inputs?: Record<string, string>
  /** `path ← locale @project {params}` per planned download, in plan order. */
  plan?: string[]
  /** Or the error the run stops with, before any download. */
  error?: string | RegExp
  warnings?: RegExp[]
}

const TOKEN_WARNING = /contains (phrase|phraseapp)\.access_token: it is ignored/

const cases: Case[] = [
  {
    fixture: '1024pix--pix.phrase.yml',
    projects: {
      '9ca9a54c81b5a85168c8df3d6953a49e': ['fr', 'en', 'nl', 'es'].map(n => named(n)),
      '93a23f4b74a86dbb53244134fb21ef43': ['fr', 'en', 'nl'].map(n => named(n)),
      '3371843f0a06e47d0fba1374b19b439c': ['fr', 'en', 'nl'].map(n => named(n)),
      '0e242bea62d0ac0d989d082b8d1d96d7': ['fr', 'en', 'nl'].map(n => named(n)),
      dd99bbfc9e880398e292a808e7013896: ['fr', 'en', 'nl'].map(n => named(n)),
      '88f30f82bdab4e25ac5e57b6663a941a': ['fr', 'en', 'nl', 'es'].map(n => named(n))
    },
    plan: [
      'mon-pix/translations/nl.json ← nl @9ca9a5 {"file_format":"nested_json"}',
      'mon-pix/translations/es.json ← es @9ca9a5 {"file_format":"nested_json"}',
      'orga/translations/nl.json ← nl @93a23f {"file_format":"nested_json"}',
      'certif/translations/nl.json ← nl @337184 {"file_format":"nested_json"}',
      'admin/translations/nl.json ← nl @0e242b {"file_format":"nested_json"}',
      '1d/translations/nl.json ← nl @dd99bb {"file_format":"nested_json"}',
      'api/translations/nl.json ← nl @88f30f {"file_format":"nested_json"}',
      'api/translations/es.json ← es @88f30f {"file_format":"nested_json"}'
    ]
  },
  {
    fixture: 'GaloyMoney--blink-mobile.phrase.yml',
    projects: { '1c94699dfcbef0246105e2cca88df5b6': [named('en'), named('es')] },
    plan: ['app/i18n/es.json ← es @1c9469 {"file_format":"react_nested_json"}'],
    warnings: [TOKEN_WARNING]
  },
  {
    // No top-level file_format: each target's params carry it.
    fixture: 'IONOS-Productivity--ncw-mail.phrase.yml',
    projects: { '11f4ff266e26229522bb663ca5779c2c': ['de_DE', 'it', 'en_GB'].map(n => named(n)) },
    plan: ['de_DE', 'it', 'en_GB'].map(
      n =>
        `translationfiles/${n}/mail.po ← ${n} @11f4ff {"file_format":"gettext","tags":"app-mail","translation_key_prefix":"translations."}`
    )
  },
  {
    fixture: 'Maptio--maptio.phrase.yml',
    projects: { d9582030417d77fe926bf18cdb2ce009: [named('de'), named('fr')] },
    plan: [
      'apps/maptio/src/locale/messages.de.xlf ← de @d95820 {"file_format":"xlf"}',
      'apps/maptio/src/locale/messages.fr.xlf ← fr @d95820 {"file_format":"xlf"}'
    ],
    warnings: [TOKEN_WARNING]
  },
  {
    // Two projects, locales picked by id.
    fixture: 'SFDigitalServices--sf-dahlia-web.phrase.yml',
    projects: {
      '4beb3d4e8d2271dacf5d519fdff7349c': [
        withId('42b4d36671be4574dd4721c37e479732', 'en'),
        withId('5cb7e93cf65a739b17b46a2830e45da2', 'tl'),
        withId('d0b4139822e16557e0b6873fdf3603a1', 'es'),
        withId('06904cd3eca0f01b264901657c43b5c8', 'zh')
      ],
      '6c45c3e10cf91075e0b4d294f69c21e7': [
        withId('135c7c6607b58892bf35088a7893050b', 'en'),
        withId('6ddd85f25418456343453dafb9f9cf34', 'tl'),
        withId('0bf1b78c0d5627216f632e3ea763ae1c', 'es'),
        withId('6944eb9f935f10f3dd34aa5aa09747f6', 'zh')
      ]
    },
    plan: [
      'app/assets/json/translations/react/tl.json ← tl @4beb3d {"file_format":"react_simple_json"}',
      'app/assets/json/translations/react/es.json ← es @4beb3d {"file_format":"react_simple_json"}',
      'app/assets/json/translations/react/zh.json ← zh @4beb3d {"file_format":"react_simple_json"}',
      'app/assets/json/translations/locale-tl.json ← tl @6c45c3 {"file_format":"nested_json"}',
      'app/assets/json/translations/locale-es.json ← es @6c45c3 {"file_format":"nested_json"}',
      'app/assets/json/translations/locale-zh.json ← zh @6c45c3 {"file_format":"nested_json"}'
    ]
  },
  {
    // `${PHRASE_PROJECT_ID}` is not expanded by the CLI either (it was filled in by a script).
    fixture: 'Solarisbank--identhub-android.phrase.yml',
    projects: {},
    error:
      'config: .phrase.yml: phrase.project_id: "${PHRASE_PROJECT_ID}" is an environment variable reference, which neither the Phrase CLI nor this action expands; set the project-id input, e.g. project-id: ${{ secrets.PHRASE_PROJECT_ID }}'
  },
  {
    fixture: 'Solarisbank--identhub-android.phrase.yml',
    inputs: { 'project-id': '0123456789abcdef0123456789abcdef' },
    projects: {
      '0123456789abcdef0123456789abcdef': [named('German', 'de'), named('English', 'en')]
    },
    plan: ['qes', 'fourthline', 'bank'].flatMap(tag =>
      ['de', 'en'].map(
        code =>
          `${tag}/src/main/res/values-${code}/strings.xml ← ${code === 'de' ? 'German' : 'English'} @012345 {"file_format":"xml","tags":"${tag}"}`
      )
    ),
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'Solarisbank--identhub-ios.phrase.yml',
    projects: {
      '30dcea6240582b0c565cf0ed958f779f': [named('German', 'de'), named('English', 'en')]
    },
    plan: [
      ['Core/IdentHubSDKCore', 'startup'],
      ['QES/IdentHubSDKQES', 'qes'],
      ['IdentHubSDKBank/IdentHubSDKBank', 'bank'],
      ['IdentHubSDKFourthline/IdentHubSDKFourthline', 'fourthline']
    ].flatMap(([module, tag]) =>
      [
        ['de', 'German'],
        ['en', 'English']
      ].map(
        ([code, name]) =>
          `Modules/${module}/Resources/Localization/${code}.lproj/Localizable.strings ← ${name} @30dcea {"file_format":"strings","format_options":{"convert_placeholder":true},"tags":"${tag}"}`
      )
    )
  },
  {
    fixture: 'PhraseApp-Blog--flutter-i18n-at-scale.phrase.yml',
    projects: { '9f5c2c8460feaf9224f969069cc19ddb': [named('en'), named('de')] },
    plan: [
      'lib/l10n/app_en.arb ← en @9f5c2c {"file_format":"arb"}',
      'lib/l10n/app_de.arb ← de @9f5c2c {"file_format":"arb"}'
    ]
  },
  {
    fixture: 'PhraseApp-Blog--go-internationalization.phrase.yml',
    projects: { '118ad4b36694518c07282714a90409b3': [named('en'), named('de')] },
    plan: [
      'locales/en/LC_MESSAGES/default.po ← en @118ad4 {"file_format":"gettext"}',
      'locales/de/LC_MESSAGES/default.po ← de @118ad4 {"file_format":"gettext"}'
    ],
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'BunsDev--rockwallet-ios.phrase.yml',
    projects: {
      '389f9cee76464e67a65ffd66d3f4d395': [named('en-US', 'en'), named('de-DE', 'de')],
      fd548746242c61f1dbc394156c78b468: [named('en-US', 'en'), named('de-DE', 'de')]
    },
    plan: [
      ['brd-ios/breadwallet/src/Strings', 'Localizable', '389f9c'],
      ['brd-ios/breadwalletWidget', 'BreadwalletWidget', 'fd5487']
    ].flatMap(([dir, file, project]) =>
      [
        ['en', 'en-US'],
        ['de', 'de-DE']
      ].map(
        ([code, name]) =>
          `${dir}/${code}.lproj/${file}.strings ← ${name} @${project} {"encoding":"UTF-8","fallback_locale_id":"en-US","file_format":"strings","include_empty_translations":true,"include_unverified_translations":true}`
      )
    )
  },
  {
    // A Windows path with neither a placeholder nor locale_id: the CLI refuses it first for the
    // missing locale ("Could not find any locale information"), whatever the project holds.
    fixture: 'Centaurioun--MailTrackerBlocker.phrase.yml',
    projects: {},
    error:
      /^config: \.phrase\.yml:13: phrase\.pull\.targets\[0\]: no locale information: set params\.locale_id/
  },
  {
    fixture: 'ZsoltMolnarMBH--daily-banking-ios-codemagic.phrase.yml',
    projects: { af0a112a637bd712d38ae14fbad0b3b4: [named('hu'), named('en')] },
    plan: ['hu', 'en'].map(
      code =>
        `DailyBanking/Resources/${code}.lproj/Localizable.strings ← ${code} @af0a11 {"encoding":"UTF-8","file_format":"strings","format_options":{"convert_placeholder":true}}`
    )
  },
  {
    // 55 targets, one file each, all pinned to German; a tag name with a space is kept as is.
    fixture: 'Jorge-Garces-LR--web-lineas-translations.phrase.yml',
    projects: { dca660bf649a06739d040ffce94c94d3: [named('es'), named('de'), named('en')] },
    plan: pinnedTargetsOf('Jorge-Garces-LR--web-lineas-translations.phrase.yml').map(
      ({ file, tags }) => `${file} ← de @dca660 {"file_format":"laravel","tags":"${tags}"}`
    ),
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'Workable--phrase-test.phrase.yml',
    projects: { '57bd7fd656f839d684b027ea142c8873': [named('en'), named('el')] },
    plan: ['en', 'el'].map(
      n =>
        `config/locales/backend/${n}.yml ← ${n} @57bd7f {"file_format":"yml","include_empty_translations":false,"include_unverified_translations":false,"tags":"translations"}`
    )
  },
  {
    fixture: 'SebSelva--Dkt-Canaveral.phrase.yml',
    projects: {
      '222ca23c0ac3018c4d6cace68835be57': [
        withId('ada55a7fdc912c6b09a657a635c834e4', 'de'),
        withId('5ae44cf1c95f6915d17e85cbaf690e14', 'en'),
        withId('38ec1853ea0785a03c1f31747c1730b3', 'es'),
        withId('c450257fa13619024b6aa4b4c6fe969c', 'fr'),
        withId('1faa319fe88a07a5fa99e498de1e6d97', 'it'),
        withId('50b89edef45259db9070ad3fb07d2ed0', 'ja'),
        withId('8f3c3a8d4a2322216394dd77b0f436a0', 'ko'),
        withId('f06332e0eb6a68eda5fa61c078e914bf', 'pt'),
        withId('ec6465108cf4cdee50ff6cd4a70bde21', 'ru'),
        withId('2aa65aae6d85a8b7396aa7beb2e837a4', 'zh-CN'),
        withId('7022f96722ceee181bbb4b0c44346d3d', 'zh-TW')
      ]
    },
    plan: [
      ['de', 'de'],
      ['en', 'en'],
      ['es', 'es'],
      ['fr', 'fr'],
      ['it', 'it'],
      ['ja', 'ja'],
      ['ko', 'ko'],
      ['pt', 'pt'],
      ['ru', 'ru'],
      ['zh-rCN', 'zh-CN'],
      ['zh-rTW', 'zh-TW']
    ].map(([dir, name]) =>
      name === 'en'
        ? `app/src/main/res/values-en/strings.xml ← en @222ca2 {"file_format":"xml"}`
        : `app/src/main/res/values-${dir}/strings.xml ← ${name} @222ca2 {"fallback_locale_id":"5ae44cf1c95f6915d17e85cbaf690e14","file_format":"xml","include_empty_translations":true}`
    ),
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'alexander-lebed--translations.phrase.yml',
    projects: { '98f8a65a99043ae1a408ab5b54e462ef': [named('en'), named('de')] },
    plan: [
      'packages/common/src/assets/locales/en/about.json ← en @98f8a6 {"file_format":"i18next","tags":"about"}',
      'packages/common/src/assets/locales/de/about.json ← de @98f8a6 {"file_format":"i18next","tags":"about"}',
      'packages/common/src/assets/locales/en/account.json ← en @98f8a6 {"file_format":"i18next","tags":"account"}',
      'packages/common/src/assets/locales/de/account.json ← de @98f8a6 {"file_format":"i18next","tags":"account"}'
    ],
    warnings: [TOKEN_WARNING]
  },
  {
    // `locale_mapping` under push params is the upload's business: push is not read at all.
    fixture: 'AzzappApp--react-native-nfc-manager.phrase.yml',
    projects: { ea5e2fbec3cb45076c196c70888f3065: [named('en-dev'), named('fr')] },
    plan: [
      'packages/i18n/src/app/en-dev.json ← en-dev @ea5e2f {"file_format":"react_simple_json"}',
      'packages/i18n/src/app/fr.json ← fr @ea5e2f {"file_format":"react_simple_json"}'
    ]
  },
  {
    // A template left unfilled: `<project_id>` reaches Phrase as is, which answers 404.
    fixture: 'Sens3ii--djangoi18n-phrase-pet.phrase.yml',
    projects: { '<project_id>': [named('en'), named('ru')] },
    plan: ['locale/ru/LC_MESSAGES/django.po ← ru @<proje {"file_format":"gettext"}'],
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'SFDigitalServices--formio-sfds.phrase.yml',
    projects: {
      ff36e9439ea05e3d16ccbd254125135f: [named('English', 'en'), named('Chinese', 'zh-TW')]
    },
    plan: [
      'src/i18n/en.json ← English @ff36e9 {"file_format":"i18next"}',
      'src/i18n/zh-TW.json ← Chinese @ff36e9 {"file_format":"i18next"}'
    ]
  },
  {
    fixture: 'Adventech--sabbath-school-android.phraseapp.yml',
    projects: {
      '4b4894f893ed5177b31d1e9842515e10': [named('English', 'en'), named('Spanish', 'es')]
    },
    plan: [
      'res/values-en/strings.xml ← English @4b4894 {"file_format":"xml"}',
      'res/values-es/strings.xml ← Spanish @4b4894 {"file_format":"xml"}'
    ],
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'IONOS-Productivity--nc-android.phraseapp.yml',
    projects: {
      '9453e2fb482156dfed60b47805ed3e52': [
        withId('a9ada87657aefb57695d33a27f5b248e', 'en'),
        withId('76f8beac88adf476f248360e111557e8', 'de'),
        withId('e54bd05002e163018d4923436ef76345', 'fr'),
        withId('c230ef320d30d186bcdd693a21a8b21c', 'es'),
        withId('87bdb899f703d666ae40974bf0263a7d', 'nl'),
        withId('59c011ed88cd5958678dddd43fb3d1c9', 'it')
      ]
    },
    plan: [
      ['values', 'en'],
      ['values-de', 'de'],
      ['values-fr', 'fr'],
      ['values-es', 'es'],
      ['values-nl', 'nl'],
      ['values-it', 'it']
    ].map(
      ([dir, name]) =>
        `scanbot/src/main/res/${dir}/strings.xml ← ${name} @9453e2 {"file_format":"xml"}`
    ),
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'JivoChat--JivoSDK-Android.phraseapp.yml',
    projects: {
      '6de0f32a207690893cb7a61f771aed26': [
        withId('e1cf8ce0c9fa4ccb2af48029e88a6a96', 'en'),
        withId('277a19f73fc78ce392b530bf85740793', 'es'),
        withId('4238d11aaae7c9c96c03542120ce0c61', 'pt'),
        withId('435f2d614bc1aa18eb10c9314c935631', 'ru'),
        withId('e474cafb99ed89a8931fb3c200071071', 'tr')
      ]
    },
    plan: [
      ['values', 'en'],
      ['values-es', 'es'],
      ['values-pt', 'pt'],
      ['values-ru', 'ru'],
      ['values-tr', 'tr']
    ].map(
      ([dir, name]) => `sdk/src/main/res/${dir}/strings.xml ← ${name} @6de0f3 {"file_format":"xml"}`
    ),
    warnings: [TOKEN_WARNING]
  },
  {
    // The deprecated `tag`: the CLI falls back to it; the async download gets it as `tags`.
    fixture: 'cydrobolt--polr.phraseapp.yml',
    projects: {
      '1a5e1909ba1c536141639cd8fa24c3d2': [named('English', 'en'), named('French', 'fr')]
    },
    plan: ['about', 'account', 'index', 'snippets', 'validation'].flatMap(tag =>
      [
        ['en', 'English'],
        ['fr', 'French']
      ].map(
        ([code, name]) =>
          `resources/lang/${code}/${tag}.php ← ${name} @1a5e19 {"file_format":"laravel","tags":"${tag}"}`
      )
    )
  },
  {
    // `tag` as above; `convert_emoji` exists only on the sync download: dropped, one warning.
    fixture: 'isabella232--AirMapSDK-Android.phraseapp.yml',
    projects: { '8e1da11a577bc4eb2ca0a2b4011d165d': [named('de'), named('es')] },
    plan: [
      ['translated-strings', 'ios'],
      ['androidstrings', 'android']
    ].flatMap(([file, tag]) =>
      ['de', 'es'].map(
        n =>
          `airmapsdk/src/main/res/values-${n}/${file}.xml ← ${n} @8e1da1 {"file_format":"xml","format_options":{"convert_placeholder":true,"escape_linebreaks":true},"tags":"${tag}"}`
      )
    ),
    warnings: [
      TOKEN_WARNING,
      /^convert_emoji \(in phraseapp\.pull\.targets\[0\]\.params, phraseapp\.pull\.targets\[1\]\.params\) is ignored: the async download has no such parameter/
    ]
  },
  {
    fixture: 'gloggi--qualix.phraseapp.yml',
    projects: { cbb16e012c455b7caf0b0bf893a816c7: [named('German', 'de'), named('French', 'fr')] },
    plan: [
      'resources/lang/de/messages.php ← German @cbb16e {"file_format":"laravel"}',
      'resources/lang/fr/messages.php ← French @cbb16e {"file_format":"laravel"}'
    ]
  },
  {
    // `push.sources` is a mapping, not a list: push is not read, so it does not matter here.
    fixture: 'group-hub--language-files.phraseapp.yml',
    projects: { '2f30b1e15afa7cfc2057a103cc0b7463': [named('en-gb'), named('de')] },
    plan: [
      'en-gb/authentication.php ← en-gb @2f30b1 {"file_format":"php","tags":"authentication"}',
      'de/authentication.php ← de @2f30b1 {"file_format":"php","tags":"authentication"}'
    ],
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'carforyou--carforyou-phraseapp-pkg.phraseapp.yml',
    projects: { '8599708ac1bc62a78985748d8fc735cc': [named('de'), named('fr')] },
    plan: ['de', 'fr'].map(
      n =>
        `test/locales/${n}/app.json ← ${n} @859970 {"file_format":"i18next","include_empty_translations":true}`
    )
  },
  {
    // No placeholder and no locale_id: refused as the CLI refuses it ("Could not find any locale
    // information"), before any locale is listed.
    fixture: 'gelldur--eSportLiveScore-translations.phraseapp.yml',
    projects: { bb68378bb70334cea139425cf31c843c: [named('en'), named('pl')] },
    error:
      'config: .phraseapp.yml:12: phraseapp.pull.targets[0]: no locale information: set params.locale_id, or put <locale_name> or <locale_code> in the file path ("./Android/values/strings.xml"), as the Phrase CLI requires'
  },
  {
    fixture: '7wapnil--rails-pro.phraseapp.yml',
    projects: {
      '7b0a8d99f9e746ea50fe3426b961985e': ['en', 'es', 'pt-BR', 'de'].map(n => named(n))
    },
    plan: [
      ['', 'backend-base'],
      ['market_categories.', 'backend-market-categories']
    ].flatMap(([prefix, tags]) =>
      [
        ['en', 'en'],
        ['es', 'es'],
        ['pt', 'pt-BR'],
        ['de', 'de']
      ].map(
        ([file, name]) =>
          `config/locales/phraseapp/${prefix}${file}.yml ← ${name} @7b0a8d {"file_format":"yml","tags":"${tags}"}`
      )
    )
  },
  {
    fixture: 'enjoyandlove--cc-frontend.phraseapp.yml',
    projects: {
      d948cd691ed0911393456d90729647d1: [
        withId('2e536a7f1c09753241b8bc8d0fca3923', 'en-US'),
        withId('2a321e373ca3e611f32dff0f1efb2ac2', 'fr-CA')
      ]
    },
    plan: [
      'client/app/config/locales/en-US.json ← en-US @d948cd {"file_format":"json"}',
      'client/app/config/locales/fr-CA.json ← fr-CA @d948cd {"fallback_locale_id":"2e536a7f1c09753241b8bc8d0fca3923","file_format":"json","include_empty_translations":true}'
    ],
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'glittle--badi-chrome-ext.phraseapp.yml',
    projects: {
      ff27c47569442cc984f4a9a522013c90: ['en', 'es', 'fa', 'fr', 'nl', 'pt_PT', 'de', 'ta'].map(n =>
        named(n)
      )
    },
    plan: ['es', 'fa', 'fr', 'nl', 'pt_PT', 'de', 'ta'].map(
      n => `_locales/${n}/messages.json ← ${n} @ff27c4 {"file_format":"json"}`
    )
  },
  {
    // Shared params through a YAML merge key; `VALUES` beside the root only holds the anchor.
    // The all-digit project id is kept as written, not read as a number.
    fixture: 'phrase-cli-issue-23--anchors.phraseapp.yml',
    projects: { '012345678901234567890': [named('values'), named('values-de')] },
    plan: [
      ['app', 'app_strings', 'android_app'],
      ['common', 'common_strings', 'android_common'],
      ['feature_a', 'fta_strings', 'android_feature_a'],
      ['feature_b', 'ftb_strings', 'android_feature_b']
    ].flatMap(([module, file, tags]) =>
      ['values', 'values-de'].map(
        n =>
          `${module}/src/main/res/${n}/${file}.xml ← ${n} @012345 {"fallback_locale_id":"en","file_format":"xml","format_options":{"convert_placeholder":true,"escape_linebreaks":true},"include_empty_translations":true,"tags":"${tags}"}`
      )
    ),
    warnings: [TOKEN_WARNING]
  },
  {
    // locale_mapping renames <locale_name>; a locale it does not list keeps its name.
    fixture: 'phrase-docs--android-locale-mapping.phrase.yml',
    projects: { PROJECT_ID: ['en-US', 'de-DE', 'fr-FR', 'it-IT'].map(n => named(n)) },
    plan: [
      'app/src/main/res/values/strings.xml ← en-US @PROJEC {"file_format":"xml"}',
      'app/src/main/res/values-de-rDE/strings.xml ← de-DE @PROJEC {"file_format":"xml"}',
      'app/src/main/res/values-fr/strings.xml ← fr-FR @PROJEC {"file_format":"xml"}',
      'app/src/main/res/it-IT/strings.xml ← it-IT @PROJEC {"file_format":"xml"}'
    ],
    warnings: [TOKEN_WARNING]
  },
  {
    fixture: 'phrase-docs--ios-strings.phrase.yml',
    projects: { PROJECT_ID: [named('English', 'en'), named('German', 'de')] },
    plan: [
      'en.lproj/Localizable.strings ← English @PROJEC {"file_format":"strings"}',
      'de.lproj/Localizable.strings ← German @PROJEC {"file_format":"strings"}',
      'en.lproj/Localizable.stringsdict ← English @PROJEC {"file_format":"stringsdict"}',
      'de.lproj/Localizable.stringsdict ← German @PROJEC {"file_format":"stringsdict"}'
    ],
    warnings: [TOKEN_WARNING]
  }
]

describe('real-world Phrase CLI configs', () => {
  it('has a case for every fixture, and a source noted in each', () => {
    const files = readdirSync(FIXTURES).filter(name => /\.ya?ml$/.test(name))
    expect(new Set(cases.map(c => c.fixture))).toEqual(new Set(files))
    expect(files.length).toBeGreaterThanOrEqual(30)
    // The one expectation derived from the file's text must not be empty by accident.
    expect(pinnedTargetsOf('Jorge-Garces-LR--web-lineas-translations.phrase.yml')).toHaveLength(55)
    for (const file of files) {
      expect(readFileSync(path.join(FIXTURES, file), 'utf8')).toMatch(/^# Source: https:\/\/\S+/)
    }
  })

  it.each(cases.map(c => [c.fixture + (c.inputs ? ' with inputs' : ''), c] as const))(
    '%s',
    (_, c) => {
      const { files, warnings, error } = planFixture(c)
      if (c.error !== undefined) {
        expect(error).toEqual(c.error instanceof RegExp ? expect.stringMatching(c.error) : c.error)
      } else {
        expect(error).toBeUndefined()
        expect(files.map(render)).toEqual(c.plan)
      }
      expect(warnings).toEqual((c.warnings ?? []).map(w => expect.stringMatching(w)))
    }
  )
})

/** Reads the fixture from a checkout (found by its default name) and plans it. */
function planFixture(c: Case): { files: PlannedFile[]; warnings: string[]; error?: string } {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'phrase-config-'))
  const name = c.fixture.endsWith('.phraseapp.yml') ? '.phraseapp.yml' : '.phrase.yml'
  writeFileSync(path.join(workspace, name), readFileSync(path.join(FIXTURES, c.fixture)))
  const inputs: Record<string, string> = { 'api-token': 't', 'github-token': 'g', ...c.inputs }
  const warnings: string[] = []
  const logger: Logger = { ...silentLogger, warning: message => void warnings.push(message) }
  try {
    const settings = readSettings(
      { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: 'o/r', GITHUB_REF: 'refs/heads/main' },
      key => inputs[key] ?? ''
    )
    warnings.push(...settings.warnings)
    const files = planAll(
      settings.targets.map(target => ({ target, available: c.projects[target.projectId] ?? [] })),
      logger
    )
    return { files, warnings }
  } catch (error) {
    return { files: [], warnings, error: (error as Error).message }
  }
}

function render(file: PlannedFile): string {
  const params = sortKeys(file.request.params)
  return `${file.path} ← ${file.locale.name} @${file.request.projectId.slice(0, 6)} ${JSON.stringify(params)}`
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map(key => [key, sortKeys((value as Record<string, unknown>)[key])])
  )
}

/**
 * The pull targets of a config made only of `- file:` entries pinned with `locale_id` and a
 * `tags` line, read with a regular expression rather than the YAML reader under test.
 */
function pinnedTargetsOf(fixture: string): Array<{ file: string; tags: string }> {
  const text = readFileSync(path.join(FIXTURES, fixture), 'utf8')
  const pull = text.slice(text.indexOf('  pull:'))
  return [
    ...pull.matchAll(/- file: \.\/(\S+)\n\s+params:\n\s+locale_id: de\n\s+tags: (.+)\n/g)
  ].map(([, file, tags]) => ({ file, tags }))
}
