{#-
    The complementary error function erfc(x), for two-sided normal p-values
    (p = erfc(|z| / sqrt(2)), SPEC §10). Neither DuckDB nor Spark has one. W. J. Cody's
    rational Chebyshev approximations ("Rational Chebyshev approximations for the error
    function", Math. Comp. 1969; netlib specfun CALERF) on three intervals of |x|, good
    to about 1e-15 relative: erf for |x| <= 0.46875, exp(-x^2) times a rational function
    of |x| up to 4, and of 1/x^2 beyond; 0 from 26.543 on (below the smallest double).
    exp(-x^2) is split as exp(-r^2) * exp(-(x - r)(x + r)) with r = x rounded down to
    1/16, as Cody does, to keep its relative error small. Pass a column or a short
    expression: it is repeated.
-#}
{% macro erfc(x) -%}
    {{ return(adapter.dispatch('erfc', 'product_analytics')(x)) }}
{%- endmacro %}

{#- sum of coefficients[i] * variable^i, in Horner form -#}
{% macro _erfc_polynomial(variable, coefficients) -%}
    {%- set ns = namespace(text=coefficients[-1] | string) -%}
    {%- for coefficient in coefficients[:-1] | reverse -%}
        {%- set ns.text = '(' ~ coefficient ~ ' + ' ~ variable ~ ' * ' ~ ns.text ~ ')' -%}
    {%- endfor -%}
    {{ ns.text }}
{%- endmacro %}

{#- Plain arithmetic: the default serves both engines (on Spark the argument is made a double so no step runs in decimals). -#}
{% macro duckdb__erfc(x) -%}
    {{ product_analytics.default__erfc(x) }}
{%- endmacro %}

{% macro spark__erfc(x) -%}
    {{ product_analytics.default__erfc('cast(' ~ x ~ ' as double)') }}
{%- endmacro %}

{% macro default__erfc(x) -%}
    {%- set y = 'abs(' ~ x ~ ')' -%}
    {%- set y_squared = '(' ~ y ~ ' * ' ~ y ~ ')' -%}
    {%- set w = '(1.0 / ' ~ y_squared ~ ')' -%}
    {%- set r = '(floor(' ~ y ~ ' * 16.0) / 16.0)' -%}
    {%- set exp_minus_y_squared = 'exp(-' ~ r ~ ' * ' ~ r ~ ')'
        ~ ' * exp(-(' ~ y ~ ' - ' ~ r ~ ') * (' ~ y ~ ' + ' ~ r ~ '))' -%}
    {#- coefficients from the constant term up -#}
    {%- set a = ['3209.37758913846947', '377.485237685302021', '113.864154151050156',
                 '3.16112374387056560', '0.185777706184603153'] -%}
    {%- set b = ['2844.23683343917062', '1282.61652607737228', '244.024637934444173',
                 '23.6012909523441209', '1.0'] -%}
    {%- set c = ['1230.33935479799725', '2051.07837782607147', '1712.04761263407058',
                 '881.952221241769090', '298.635138197400131', '66.1191906371416295',
                 '8.88314979438837594', '0.564188496988670089', '2.15311535474403846e-8'] -%}
    {%- set d = ['1230.33935480374942', '3439.36767414372164', '4362.61909014324716',
                 '3290.79923573345963', '1621.38957456669019', '537.181101862009858',
                 '117.693950891312499', '15.7449261107098347', '1.0'] -%}
    {%- set p = ['0.000658749161529837803', '0.0160837851487422766', '0.125781726111229246',
                 '0.360344899949804439', '0.305326634961232344', '0.0163153871373020978'] -%}
    {%- set q = ['0.00233520497626869185', '0.0605183413124413191', '0.527905102951428412',
                 '1.87295284992346047', '2.56852019228982242', '1.0'] -%}
    (
        case
            when {{ x }} is null then null
            when {{ y }} <= 0.46875
                then 1.0 - {{ y }} * {{ _erfc_polynomial(y_squared, a) }} / {{ _erfc_polynomial(y_squared, b) }}
            when {{ y }} <= 4.0
                then {{ exp_minus_y_squared }}
                    * {{ _erfc_polynomial(y, c) }} / {{ _erfc_polynomial(y, d) }}
            when {{ y }} < 26.543
                then {{ exp_minus_y_squared }}
                    * (
                        0.56418958354775628695
                        - {{ w }} * {{ _erfc_polynomial(w, p) }} / {{ _erfc_polynomial(w, q) }}
                    ) / {{ y }}
            else 0.0
        end
        {#- erfc(-x) = 2 - erfc(x) -#}
        * case when {{ x }} < 0 then -1.0 else 1.0 end
        + case when {{ x }} < 0 then 2.0 else 0.0 end
    )
{%- endmacro %}
