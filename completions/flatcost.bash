# bash completion for flatcost(1): commands, options, scenario files, the
# scenario keys of --set KEY=VALUE and the catalog's references (prices,
# hardware, models) after them.  Installed by `make install` into
# PREFIX/share/bash-completion/completions/flatcost.  The commands, keys
# and references come from the binary (`flatcost help --complete WHAT`),
# so they follow the data it reads; the option lists below are checked
# against the commands' option tables by tests/cli/completion.bats.

_flatcost_opts() {
	case $1 in
	bench) echo "--api --api-key-env --arrival-cv --attainment --compare --concurrency --duration
		--endpoint --format --from-scenario --gguf --help --host-facts --hourly-price
		--input-tokens --kind --like --max-errors --model --model-id --monthly-price
		--no-host-facts --no-ignore-eos --output --output-tokens --params-b --probe --probe-mb
		--probe-threads --profile --quant --ram-gb --rate --repeat --request-timeout
		--requests --search-slo --seed --shared-prefix --slo --threads --timeout --turns --url
		--warmup --weights-gb -o";;
	calibrate) echo "--api-price --columns --format --hardware --help --log-format --model --no-user-data
		--output --seed --since --skip-bad --strict-data --threads --trials --tz --until
		--users -o";;
	check) echo "--allow-free-hardware --base --budget --deterministic --format --help --junit
		--no-user-data --output --seed --set --strict-data --threads --trials -o";;
	compare) echo "--allow-free-hardware --deterministic --format --hardware --help --model --no-race
		--no-user-data --output --plot --price-basis --rank-by --seed --set --strict-data
		--threads --trials -o";;
	data) echo "--as-of --format --from --hardware --help --location --model --no-user-data
		--usd-per-eur";;
	diff) echo "--deterministic --fail-above --figure --format --help --no-user-data --output --seed
		--set --strict-data --threads --trials -o";;
	merge) echo "--chart --format --help --output --plot --plot-script --subtitle --title --y-scale -o";;
	report) echo "--compare --deterministic --format --help --months --no-user-data --output --seed
		--sensitivity --set --strict-data --threads --trials --users -o";;
	sensitivity) echo "--figure --format --help --months --no-user-data --output --plot --seed --set
		--strict-data --threads --trials --users -o";;
	simulate) echo "--allow-free-hardware --currency --des --deterministic --format --help --months
		--no-user-data --output --plot --seed --set --strict-data --subtitle --threads --title
		--trials --users --y-scale -o";;
	sweep) echo "--allow-free-hardware --chart --currency --deterministic --format --help --linear --log
		--no-user-data --output --plot --plot-script --resume --seed --set --shard
		--strict-data --subtitle --threads --title --trials --users --vary --y-scale -o";;
	synth-model) echo "--context --embd --ff --head-dim --heads --help --kv-heads --layers --like --name
		--output --quant --seed --vocab -o";;
	tokens) echo "--format --help --output --tokenizer -o";;
	validate) echo "--help --no-user-data --strict-data";;
	esac
}

_flatcost() {
	local line=${COMP_LINE:0:COMP_POINT} cur prev cmd w words=() i
	# the words as typed (COMP_WORDS splits at = and :, which --set
	# KEY=VALUE and the references contain)
	read -r -a words <<<"$line"
	if [[ $line == *[[:space:]] ]]; then
		cur=""
	else
		cur=${words[${#words[@]}-1]}
		unset 'words[${#words[@]}-1]'
	fi
	prev=${words[${#words[@]}-1]}
	cmd=""
	for ((i = 1; i < ${#words[@]}; i++)); do
		w=${words[i]}
		if [[ $w != -* ]]; then
			cmd=$w
			break
		fi
	done
	COMPREPLY=()
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$(flatcost help --complete commands 2>/dev/null) --help --version" -- "$cur"))
	else
		case $prev in
		-o|--output|--junit|--budget|--profile|--plot)
			COMPREPLY=($(compgen -f -- "$cur"));;
		--plot-script)
			COMPREPLY=($(compgen -d -- "$cur"));;
		--format)
			COMPREPLY=($(compgen -W "table json csv md" -- "$cur"));;
		--api)
			COMPREPLY=($(compgen -W "ollama openai" -- "$cur"));;
		--chart)
			COMPREPLY=($(compgen -W "cost per-user servers share" -- "$cur"));;
		--quant)
			COMPREPLY=($(compgen -W "q4_0 q4_k_m q8_0 f16" -- "$cur"));;
		--like)
			COMPREPLY=($(compgen -W "$(flatcost help --complete models 2>/dev/null)" -- "$cur"));;
		--set|--vary)
			_flatcost_set "$cur";;
		*)
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W "$(_flatcost_opts "$cmd")" -- "$cur"))
			else
				case $cmd in
				help) COMPREPLY=($(compgen -W "$(flatcost help --complete commands 2>/dev/null)" -- "$cur"));;
				data) COMPREPLY=($(compgen -W "prices hardware models" -- "$cur"));;
				simulate|sweep|check|diff|validate|compare|sensitivity)
					COMPREPLY=($(compgen -f -X '!*.@(yaml|yml)' -- "$cur") $(compgen -d -- "$cur"));;
				merge)
					COMPREPLY=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"));;
				esac
			fi;;
		esac
	fi
	# bash replaces only what follows the last = or : of the word
	if [[ $cur == *[=:]* && $COMP_WORDBREAKS == *[=:]* ]]; then
		local strip=${cur%"${cur##*[=:]}"}
		COMPREPLY=("${COMPREPLY[@]#"$strip"}")
	fi
	return 0
}

# --set KEY=VALUE: the keys, then for a reference key its catalog entries.
_flatcost_set() {
	local cur=$1 key kind
	if [[ $cur != *=* ]]; then
		compopt -o nospace 2>/dev/null
		COMPREPLY=($(compgen -S = -W "$(flatcost help --complete keys 2>/dev/null)" -- "$cur"))
		return
	fi
	key=${cur%%=*}
	case $key in
	api.price|flat.fallback.api) kind=prices;;
	flat.hardware) kind=hardware;;
	flat.model) kind=models;;
	*) return;;
	esac
	COMPREPLY=($(compgen -P "$key=" -W "$(flatcost help --complete $kind 2>/dev/null)" -- "${cur#*=}"))
}

shopt -s extglob
complete -F _flatcost flatcost
