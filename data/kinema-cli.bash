# bash completion for kinema-cli
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Commands and options come from kinema-cli's own --help, provider names from the
# providers.ini the app uses (kinema-cli --list-providers), so they never go stale.

_kinema_cli_run ()
{
    LC_ALL=C.UTF-8 LANGUAGE=C "$_kinema_cli_bin" "$@" 2>/dev/null
}

_kinema_cli ()
{
    local cur prev cword words
    local _kinema_cli_bin=${COMP_WORDS[0]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${words[cword]}
    prev=
    ((cword > 0)) && prev=${words[cword - 1]}
    # "--provider=de": COMP_WORDBREAKS splits it into "--provider" "=" "de".
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((cword > 1)); then
        prev=${words[cword - 2]}
    fi
    COMPREPLY=()

    # The command: the first word after kinema-cli that is not an option.
    local command= i
    for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} != -* && ${words[i]} != = ]]; then
            command=${words[i]}
            break
        fi
    done

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
        else
            local commands
            commands=$(_kinema_cli_run --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p')
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return 0
    fi

    case $prev in
    --provider)
        local IFS=$'\n'
        COMPREPLY=($(compgen -W "$(_kinema_cli_run --list-providers)" -- "$cur"))
        return 0
        ;;
    --model | -m)
        COMPREPLY=($(compgen -W "$(_kinema_cli_run --list-models)" -- "$cur"))
        return 0
        ;;
    --api-style)
        COMPREPLY=($(compgen -W "kling video-generations openai-videos" -- "$cur"))
        return 0
        ;;
    --auth)
        COMPREPLY=($(compgen -W "bearer kling-jwt" -- "$cur"))
        return 0
        ;;
    --mode)
        COMPREPLY=($(compgen -W "std pro 4k" -- "$cur"))
        return 0
        ;;
    --duration | -d)
        COMPREPLY=($(compgen -W "5 10" -- "$cur"))
        return 0
        ;;
    --aspect-ratio | -a)
        COMPREPLY=($(compgen -W "16:9 9:16 1:1" -- "$cur"))
        return 0
        ;;
    --camera)
        COMPREPLY=($(compgen -W "down_back forward_up right_turn_forward left_turn_forward simple:" -- "$cur"))
        return 0
        ;;
    --image | -i | --image-tail | --output | -o)
        local IFS=$'\n'
        COMPREPLY=($(compgen -f -- "$cur"))
        type compopt &>/dev/null && compopt -o filenames
        return 0
        ;;
    --format)
        COMPREPLY=($(compgen -W "mp4 webm gif" -- "$cur"))
        return 0
        ;;
    --size)
        COMPREPLY=($(compgen -W "original 1080p 720p 480p" -- "$cur"))
        return 0
        ;;
    --from-time | --trim | --prompt | -p | --negative-prompt | --base-url | --cfg-scale | --poll-interval | --timeout)
        return 0
        ;;
    esac

    # story ACTION: the actions, from the usage line of `kinema-cli story --help`
    local n_args=0
    for ((i = i + 1; i < cword; i++)); do
        [[ ${words[i]} != -* && ${words[i]} != = && ${words[i - 1]} != --* ]] && ((n_args++))
    done
    if [[ $command == story && $n_args -eq 0 && $cur != -* ]]; then
        local actions
        actions=$(_kinema_cli_run story --help | sed -n 's/^  kinema-cli story \[[^]]*\] //p' | tr '|' '\n' | awk '{print $1}')
        COMPREPLY=($(compgen -W "$actions" -- "$cur"))
        return 0
    fi

    if [[ $cur == -* || ($command != show && $command != export && $command != continue && $command != extend) ]] ||
        ((n_args > 0)); then
        local options
        options=$(_kinema_cli_run "$command" --help | sed -n 's/^ \{1,\}\(-[^ ]*, \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p')
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
    else
        # show ID, export ID, continue ID, extend ID: the ids in the history
        COMPREPLY=($(compgen -W "$(_kinema_cli_run list | cut -d' ' -f1)" -- "$cur"))
    fi
    return 0
}

complete -F _kinema_cli kinema-cli
